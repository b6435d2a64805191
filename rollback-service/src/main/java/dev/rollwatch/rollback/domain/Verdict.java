package dev.rollwatch.rollback.domain;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of evaluating a breach.
 *
 * @param action         what to do
 * @param rule           the rule that fired (a stable slug, e.g. {@code p1-immediate}, {@code freeze})
 * @param reason         a sentence for people: the measurement, the threshold, why this action
 * @param breachEventIds for a ROLLBACK, the breaches that together triggered it (oldest first)
 * @param detectedAt     for a ROLLBACK, when the deciding breach was observed
 */
public record Verdict(DecisionAction action, String rule, String reason, List<String> breachEventIds,
        Instant detectedAt) {

    public Verdict {
        breachEventIds = breachEventIds == null ? List.of() : List.copyOf(breachEventIds);
    }

    static Verdict of(DecisionAction action, String rule, String reason) {
        return new Verdict(action, rule, reason, List.of(), null);
    }
}
