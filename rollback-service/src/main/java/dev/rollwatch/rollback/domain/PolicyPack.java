package dev.rollwatch.rollback.domain;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rollwatch.events.Durations;
import dev.rollwatch.events.Severity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A versioned, ordered list of rules that say what a breach means (the runbook policy pack,
 * {@code policy-packs/runbook-v1.yaml}): the first rule whose conditions hold decides. Pure data: loaded once,
 * evaluated by {@link DecisionMatrix}.
 */
public record PolicyPack(String name, int version, List<Rule> rules) {

    /** The pack every policy uses unless it names another: {@code runbook@1}. */
    public static final String RUNBOOK_V1 = "runbook@1";

    public static final Set<String> KINDS = Set.of(BreachFacts.KIND_THRESHOLD, BreachFacts.KIND_UNAVAILABLE,
            BreachFacts.KIND_CRITERIA, BreachFacts.KIND_SMOKE, BreachFacts.KIND_ANALYSIS_ERROR);

    public PolicyPack {
        rules = List.copyOf(rules);
    }

    /** {@code runbook@1}. */
    public String ref() {
        return name + "@" + version;
    }

    public Optional<Rule> rule(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** What a rule decides. SEVERITY: what the policy's matrix row for the (effective) severity says. */
    public enum Action { ROLLBACK, CONDITIONAL, MONITOR, ALERT, NOTIFY, SEVERITY }

    /** A numeric range; every bound optional. */
    public record Range(Double above, Double atLeast, Double below, Double atMost) {
        public boolean contains(double v) {
            return (above == null || v > above) && (atLeast == null || v >= atLeast)
                    && (below == null || v < below) && (atMost == null || v <= atMost);
        }

        public String describe() {
            List<String> parts = new ArrayList<>();
            if (above != null) {
                parts.add("> " + above);
            }
            if (atLeast != null) {
                parts.add(">= " + atLeast);
            }
            if (below != null) {
                parts.add("< " + below);
            }
            if (atMost != null) {
                parts.add("<= " + atMost);
            }
            return String.join(" and ", parts);
        }
    }

    /** A range of durations; both bounds optional. */
    public record TimeRange(Duration atLeast, Duration atMost) {
        public boolean contains(Duration d) {
            return (atLeast == null || d.compareTo(atLeast) >= 0) && (atMost == null || d.compareTo(atMost) <= 0);
        }
    }

    /** Breaches within {@code within} before this one (this one included): of the same check, or of the severity. */
    public record Occurrences(String of, int atLeast, Duration within) {
        public static final String OF_CHECK = "check";
        public static final String OF_SEVERITY = "severity";
    }

    /** The conditions of a rule, all optional, ANDed. */
    public record When(Severity severity, String kind, String metric, String check, String phase, Range threshold,
            Range value, Boolean growing, TimeRange sinceDeploymentStart, TimeRange sinceStepStart,
            Occurrences occurrences) {
    }

    /** What a rule decides. */
    public record Then(Action action, Duration sustainedFor, Duration decideWithin, Severity severity) {
    }

    /** One entry: its id, the runbook rule it encodes, its conditions and decision. */
    public record Rule(String id, String seed, When when, Then then) {
    }

    /** Loads a pack from a classpath resource, e.g. {@code policy-packs/runbook-v1.yaml}. */
    public static PolicyPack load(String resource) {
        try (InputStream in = PolicyPack.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("policy pack " + resource + " not found on the classpath");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read policy pack " + resource, e);
        }
    }

    private static PolicyPack runbook;

    /** The runbook pack, version 1 (read once). */
    public static synchronized PolicyPack runbook() {
        if (runbook == null) {
            runbook = load("policy-packs/runbook-v1.yaml");
        }
        return runbook;
    }

    /** The pack a policy names ({@code runbook@1}); empty when there is no such pack. */
    public static Optional<PolicyPack> byRef(String ref) {
        return RUNBOOK_V1.equals(ref) ? Optional.of(runbook()) : Optional.empty();
    }

    /** The YAML text of the runbook pack, as served by the API. */
    public static String runbookText() {
        try (InputStream in = PolicyPack.class.getClassLoader()
                .getResourceAsStream("policy-packs/runbook-v1.yaml")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The runbook pack as written (rule list, ids, seeds, conditions), for the API. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> runbookDocument() {
        try {
            return new ObjectMapper(new YAMLFactory()).readValue(runbookText(), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static PolicyPack parse(InputStream in) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        Map<String, Object> doc = yaml.readValue(in, Map.class);
        String name = text(doc, "pack");
        int version = ((Number) doc.get("version")).intValue();
        List<Rule> rules = new ArrayList<>();
        for (Object o : (List<Object>) doc.get("rules")) {
            Map<String, Object> r = (Map<String, Object>) o;
            String id = text(r, "id");
            Map<String, Object> w = (Map<String, Object>) r.getOrDefault("when", Map.of());
            Map<String, Object> t = (Map<String, Object>) r.get("then");
            if (t == null) {
                throw new IllegalArgumentException("rule " + id + " has no then");
            }
            String kind = (String) w.get("kind");
            if (kind != null && !KINDS.contains(kind)) {
                throw new IllegalArgumentException("rule " + id + ": unknown kind " + kind);
            }
            Occurrences occ = null;
            if (w.get("occurrences") instanceof Map<?, ?> m) {
                occ = new Occurrences(String.valueOf(m.get("of")), ((Number) m.get("atLeast")).intValue(),
                        duration(id, m.get("within")));
            }
            When when = new When(severity((String) w.get("severity")), kind, (String) w.get("metric"),
                    (String) w.get("check"), (String) w.get("phase"), range(w.get("threshold")),
                    range(w.get("value")), (Boolean) w.get("growing"), timeRange(id, w.get("sinceDeploymentStart")),
                    timeRange(id, w.get("sinceStepStart")), occ);
            Then then = new Then(Action.valueOf(String.valueOf(t.get("action")).toUpperCase(Locale.ROOT)),
                    duration(id, t.get("sustainedFor")), duration(id, t.get("decideWithin")),
                    severity((String) t.get("severity")));
            rules.add(new Rule(id, text(r, "seed"), when, then));
        }
        return new PolicyPack(name, version, rules);
    }

    private static String text(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null || String.valueOf(v).isBlank()) {
            throw new IllegalArgumentException("policy pack: " + key + " is required");
        }
        return String.valueOf(v);
    }

    private static Severity severity(String s) {
        return s == null ? null : Severity.valueOf(s);
    }

    private static Range range(Object o) {
        if (!(o instanceof Map<?, ?> m)) {
            return null;
        }
        return new Range(num(m.get("above")), num(m.get("atLeast")), num(m.get("below")), num(m.get("atMost")));
    }

    private static Double num(Object o) {
        return o == null ? null : ((Number) o).doubleValue();
    }

    private static TimeRange timeRange(String id, Object o) {
        if (!(o instanceof Map<?, ?> m)) {
            return null;
        }
        return new TimeRange(duration(id, m.get("atLeast")), duration(id, m.get("atMost")));
    }

    private static Duration duration(String id, Object o) {
        if (o == null) {
            return null;
        }
        return Durations.parse(String.valueOf(o)).orElseThrow(() -> new IllegalArgumentException("rule " + id
                + ": '" + o + "' is not a duration"));
    }
}
