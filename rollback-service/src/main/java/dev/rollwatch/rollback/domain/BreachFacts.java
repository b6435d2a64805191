package dev.rollwatch.rollback.domain;

import dev.rollwatch.events.Operator;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The parts of a breach that a decision depends on: a ThresholdBreached event, a failed smoke step, or an analysis
 * step that ended ERROR (could not measure).
 *
 * @param description         what was observed, when it is not a measurement against a threshold
 * @param kind                threshold | unavailable | criteria | smoke | analysis-error
 * @param phase               rollout | bake | verification
 * @param trendPerHour        the check's recent slope per hour, when known
 * @param stepStartedAt       when the step the breach happened in started, when known
 * @param deploymentStartedAt when the deployment started, when known
 */
public record BreachFacts(String eventId, Severity severity, String check, String metric, List<Double> observed,
        double threshold, Operator operator, int failures, int failureLimit, Instant observedAt,
        String description, String kind, String phase, Double trendPerHour, Instant stepStartedAt,
        Instant deploymentStartedAt) {

    public static final String KIND_THRESHOLD = ThresholdBreached.KIND_THRESHOLD;
    public static final String KIND_UNAVAILABLE = ThresholdBreached.KIND_UNAVAILABLE;
    public static final String KIND_CRITERIA = ThresholdBreached.KIND_CRITERIA;
    public static final String KIND_SMOKE = "smoke";
    public static final String KIND_ANALYSIS_ERROR = "analysis-error";
    public static final String PHASE_ROLLOUT = ThresholdBreached.PHASE_ROLLOUT;
    public static final String PHASE_BAKE = ThresholdBreached.PHASE_BAKE;

    public BreachFacts {
        observed = observed == null ? List.of() : List.copyOf(observed);
        kind = kind == null ? KIND_THRESHOLD : kind;
        phase = phase == null ? PHASE_ROLLOUT : phase;
    }

    public BreachFacts(String eventId, Severity severity, String check, String metric, List<Double> observed,
            double threshold, Operator operator, int failures, int failureLimit, Instant observedAt,
            String description) {
        this(eventId, severity, check, metric, observed, threshold, operator, failures, failureLimit, observedAt,
                description, null, null, null, null, null);
    }

    public BreachFacts(String eventId, Severity severity, String check, String metric, List<Double> observed,
            double threshold, Operator operator, int failures, int failureLimit, Instant observedAt) {
        this(eventId, severity, check, metric, observed, threshold, operator, failures, failureLimit, observedAt,
                null);
    }

    public static BreachFacts of(String eventId, ThresholdBreached b) {
        return new BreachFacts(eventId, b.severity(), b.check(), b.metric(), b.observed(), b.threshold(),
                b.operator(), b.failures(), b.failureLimit(), b.observedAt(), null, b.kindOrDefault(),
                b.phaseOrDefault(), b.trendPerHour(), b.stepStartedAt(), b.deploymentStartedAt());
    }

    /** A failed smoke step: a P1 breach of kind smoke, check {@code smoke-step-<index>}. */
    public static BreachFacts smokeFailed(String eventId, int stepIndex, String detail, Instant at) {
        return new BreachFacts(eventId, Severity.P1, "smoke-step-" + stepIndex, "smoke", List.of(), 0, Operator.GT,
                1, 1, at, "smoke checks failed" + (detail == null || detail.isBlank() ? "" : " (" + detail + ")"),
                KIND_SMOKE, null, null, null, null);
    }

    /**
     * An ANALYSIS step that ended with verdict ERROR: the monitor could not measure (the canary or its metrics
     * source is unreachable). A P1 of kind analysis-error, check {@code analysis-step-<index>}.
     */
    public static BreachFacts analysisError(String eventId, int stepIndex, String detail, Instant at) {
        return new BreachFacts(eventId, Severity.P1, "analysis-step-" + stepIndex, "analysis", List.of(), 0,
                Operator.GT, 1, 1, at, "analysis could not measure (verdict ERROR)"
                        + (detail == null || detail.isBlank() ? "" : ": " + detail),
                KIND_ANALYSIS_ERROR, null, null, null, null);
    }

    /** The last observed value, or NaN when there is none. */
    public double value() {
        return observed.isEmpty() ? Double.NaN : observed.get(observed.size() - 1);
    }

    /**
     * When the breach's episode began. For an outage ({@code kind unavailable}) the monitor reports how many seconds
     * the target has been unmeasurable as the observed value, so the outage began that long before its observation;
     * for every other breach the episode begins at its observation.
     */
    public Instant episodeStart() {
        if (KIND_UNAVAILABLE.equals(kind) && !observed.isEmpty() && value() > 0) {
            return observedAt.minus(Duration.ofMillis((long) (value() * 1000)));
        }
        return observedAt;
    }

    /** "error_rate 0.08 > 0.01": the deciding measurement against the threshold. */
    public String measurement() {
        if (description != null) {
            return description;
        }
        if (KIND_UNAVAILABLE.equals(kind)) {
            return metric + " could not be measured for " + format(observed.isEmpty() ? 0 : value()) + "s (outage"
                    + " window " + format(threshold) + "s)";
        }
        String value = observed.isEmpty() ? "(no value)" : format(value());
        return metric + " " + value + " " + operator.symbol() + " " + format(threshold);
    }

    private static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
