package dev.rollwatch.rollback.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rollwatch.events.Durations;
import dev.rollwatch.platform.json.Mappers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A policy's per-rule duration overrides as people write them ({@code {"outage": {"sustainedFor": "15s"}}}) and as
 * the policy row stores them (the same JSON).
 */
public final class RuleOverrides {

    public static final List<String> FIELDS = List.of("sustainedFor", "decideWithin", "within");
    private static final ObjectMapper JSON = Mappers.lenient();

    private RuleOverrides() {
    }

    /** The written form: rule id → field → short duration. */
    public static Map<String, Map<String, String>> written(Map<String, PolicyRules.RuleOverride> overrides) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        overrides.forEach((id, o) -> {
            Map<String, String> fields = new LinkedHashMap<>();
            if (o.sustainedFor() != null) {
                fields.put("sustainedFor", Durations.format(o.sustainedFor()));
            }
            if (o.decideWithin() != null) {
                fields.put("decideWithin", Durations.format(o.decideWithin()));
            }
            if (o.within() != null) {
                fields.put("within", Durations.format(o.within()));
            }
            out.put(id, fields);
        });
        return out;
    }

    public static String toJson(Map<String, PolicyRules.RuleOverride> overrides) {
        try {
            return JSON.writeValueAsString(written(overrides));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, PolicyRules.RuleOverride> fromJson(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, Map<String, String>> written = JSON.readValue(json, new TypeReference<>() {
            });
            Map<String, PolicyRules.RuleOverride> out = new LinkedHashMap<>();
            written.forEach((id, f) -> out.put(id, new PolicyRules.RuleOverride(d(f.get("sustainedFor")),
                    d(f.get("decideWithin")), d(f.get("within")))));
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored policy overrides are not valid JSON: " + json, e);
        }
    }

    private static Duration d(String text) {
        return text == null ? null : Durations.parse(text).orElse(null);
    }
}
