package dev.rollwatch.rollback.domain;

import dev.rollwatch.events.Operator;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;

import java.time.Instant;
import java.util.List;

/**
 * The parts of a breach that a decision depends on: a ThresholdBreached event, or a failed smoke step (which the
 * runbooks treat like a P1 breach).
 *
 * @param description what was observed, when it is not a measurement against a threshold (a failed smoke step)
 */
public record BreachFacts(String eventId, Severity severity, String check, String metric, List<Double> observed,
        double threshold, Operator operator, int failures, int failureLimit, Instant observedAt,
        String description) {

    public BreachFacts {
        observed = observed == null ? List.of() : List.copyOf(observed);
    }

    public BreachFacts(String eventId, Severity severity, String check, String metric, List<Double> observed,
            double threshold, Operator operator, int failures, int failureLimit, Instant observedAt) {
        this(eventId, severity, check, metric, observed, threshold, operator, failures, failureLimit, observedAt,
                null);
    }

    public static BreachFacts of(String eventId, ThresholdBreached b) {
        return new BreachFacts(eventId, b.severity(), b.check(), b.metric(), b.observed(), b.threshold(),
                b.operator(), b.failures(), b.failureLimit(), b.observedAt());
    }

    /** A failed smoke step: a P1 breach of the check {@code smoke-step-<index>}. */
    public static BreachFacts smokeFailed(String eventId, int stepIndex, String detail, Instant at) {
        return new BreachFacts(eventId, Severity.P1, "smoke-step-" + stepIndex, "smoke", List.of(), 0, Operator.GT,
                1, 1, at, "smoke checks failed" + (detail == null || detail.isBlank() ? "" : " (" + detail + ")"));
    }

    /** "error_rate 0.08 > 0.01": the deciding measurement against the threshold. */
    public String measurement() {
        if (description != null) {
            return description;
        }
        String value = observed.isEmpty() ? "(no value)" : format(observed.get(observed.size() - 1));
        return metric + " " + value + " " + operator.symbol() + " " + format(threshold);
    }

    private static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
