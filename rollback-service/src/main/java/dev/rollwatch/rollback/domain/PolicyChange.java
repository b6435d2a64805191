package dev.rollwatch.rollback.domain;

import dev.rollwatch.events.Durations;
import dev.rollwatch.events.Severity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A proposed policy version for one scope, checked before it is stored. Checks are pure so each refusal is tested
 * directly: unknown severities or actions, windows and deadlines that are not positive, and contradictory rules (a
 * less severe level reacting more aggressively than a more severe one).
 */
public final class PolicyChange {

    public static final Duration MAX_WINDOW = Duration.ofDays(1);
    public static final int MAX_REPEAT_COUNT = 1000;

    private PolicyChange() {
    }

    /** A field-level problem with a proposed policy. */
    public record FieldError(String field, String message) {
    }

    /**
     * Turns the requested severity → action map into a complete matrix: every severity must be named, with a known
     * action. Errors are appended to {@code errors}; the result is only meaningful when none were.
     */
    public static Map<Severity, SeverityAction> actions(Map<String, String> requested, List<FieldError> errors) {
        Map<Severity, SeverityAction> result = new EnumMap<>(Severity.class);
        for (Map.Entry<String, String> e : requested.entrySet()) {
            Severity severity;
            try {
                severity = Severity.valueOf(e.getKey());
            } catch (IllegalArgumentException | NullPointerException ex) {
                errors.add(new FieldError("actions." + e.getKey(), "unknown severity (use P0, P1, P2, P3)"));
                continue;
            }
            try {
                result.put(severity, SeverityAction.valueOf(String.valueOf(e.getValue()).toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException ex) {
                errors.add(new FieldError("actions." + e.getKey(),
                        "unknown action '" + e.getValue() + "' (use ROLLBACK, CONDITIONAL, MONITOR, ALERT, NOTIFY)"));
            }
        }
        return result;
    }

    /**
     * Reads per-rule duration overrides ({@code {"outage": {"sustainedFor": "15s"}}}): the rule must be in the pack,
     * the field one of sustainedFor, decideWithin, within, the duration positive and at most 24h. Errors are appended.
     */
    public static Map<String, PolicyRules.RuleOverride> overrides(Map<String, Map<String, String>> requested,
            PolicyPack pack, List<FieldError> errors) {
        Map<String, PolicyRules.RuleOverride> result = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> e : requested.entrySet()) {
            String id = e.getKey();
            String at = "overrides." + id;
            if (pack.rule(id).isEmpty()) {
                errors.add(new FieldError(at, "no rule '" + id + "' in " + pack.ref()));
                continue;
            }
            Map<String, String> fields = e.getValue() == null ? Map.of() : e.getValue();
            Duration[] values = new Duration[3];
            for (Map.Entry<String, String> f : fields.entrySet()) {
                int i = RuleOverrides.FIELDS.indexOf(f.getKey());
                if (i < 0) {
                    errors.add(new FieldError(at + "." + f.getKey(), "unknown field (use "
                            + String.join(", ", RuleOverrides.FIELDS) + ")"));
                    continue;
                }
                Duration d = Durations.parse(f.getValue()).orElse(null);
                if (d == null) {
                    errors.add(new FieldError(at + "." + f.getKey(), "'" + f.getValue() + "' is not a duration"));
                    continue;
                }
                int before = errors.size();
                positive(at + "." + f.getKey(), d, errors);
                if (errors.size() == before) {
                    values[i] = d;
                }
            }
            result.put(id, new PolicyRules.RuleOverride(values[0], values[1], values[2]));
        }
        return result;
    }

    /** Every problem with the complete proposed matrix; empty when it can be stored. */
    public static List<FieldError> validate(Map<Severity, SeverityAction> actions, int repeatCount,
            Duration repeatWindow, Duration rollbackDeadline) {
        List<FieldError> errors = new ArrayList<>();
        for (Severity s : Severity.values()) {
            if (!actions.containsKey(s)) {
                errors.add(new FieldError("actions." + s, "is required"));
            }
        }
        if (repeatCount < 1 || repeatCount > MAX_REPEAT_COUNT) {
            errors.add(new FieldError("repeatCount", "must be between 1 and " + MAX_REPEAT_COUNT));
        }
        positive("repeatWindow", repeatWindow, errors);
        positive("rollbackDeadline", rollbackDeadline, errors);
        if (errors.isEmpty()) {
            Severity[] order = Severity.values();
            for (int i = 1; i < order.length; i++) {
                SeverityAction higher = actions.get(order[i - 1]);
                SeverityAction lower = actions.get(order[i]);
                if (lower.aggressiveness() > higher.aggressiveness()) {
                    errors.add(new FieldError("actions." + order[i], "contradicts actions." + order[i - 1] + ": "
                            + order[i] + " " + lower + " is more aggressive than " + order[i - 1] + " " + higher));
                }
            }
        }
        return errors;
    }

    private static void positive(String field, Duration d, List<FieldError> errors) {
        if (d == null || d.isNegative() || d.isZero()) {
            errors.add(new FieldError(field, "must be a positive duration"));
        } else if (d.compareTo(MAX_WINDOW) > 0) {
            errors.add(new FieldError(field, "must be at most 24h"));
        }
    }
}
