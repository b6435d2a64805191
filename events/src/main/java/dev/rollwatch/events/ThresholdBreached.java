package dev.rollwatch.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A check crossed its threshold often enough to count as a breach: {@code observed <operator> threshold} held
 * for {@code failures} measurements (at least {@code failureLimit}). {@code observedAt} is when the deciding
 * measurement was taken: the start of the detection-to-rollback clock. One event per breach episode: the event id
 * is derived from the episode, and the {@link ThresholdRecovered} that ends the episode names this event's id.
 * When the check compares with the stable version ({@code measure} BASELINE_*), {@code observed} holds the
 * compared figures and {@code baseline} the stable version's value at the deciding measurement; {@code ruleVersion}
 * identifies the check definition that judged (a digest of it, or {@code builtin-v<n>} for the built-in checks).
 *
 * <p>{@code kind} says what was breached: {@value #KIND_THRESHOLD} (absent means this: a measured value crossed the
 * threshold), {@value #KIND_UNAVAILABLE} (the check could not measure for its whole outage window: the target or its
 * metrics source is down; {@code threshold} is then the window in seconds and {@code observed} the seconds it has been
 * unmeasurable) or {@value #KIND_CRITERIA} (a step's own success criterion failed during that step). {@code phase}
 * says when: {@value #PHASE_ROLLOUT} (absent means this), {@value #PHASE_BAKE} (after the deployment SUCCEEDED,
 * inside its bake window) or {@value #PHASE_VERIFICATION} (the restored version after a rollback).
 * {@code trendPerHour} is the least-squares slope of the check's recent figures per hour (a "growing" rule reads it;
 * absent with fewer than two points); {@code stepStartedAt} and {@code deploymentStartedAt} let time rules ("after
 * 1 hour", "in the first hour") be decided without another lookup. Topic {@code threshold-breached}.
 */
public record ThresholdBreached(String service, String environment, String version, String check, String metric,
        String query, List<Double> observed, double threshold, Operator operator, Duration window,
        Severity severity, int failures, int failureLimit, Instant observedAt, Integer stepIndex,
        Measure measure, Double baseline, String ruleVersion, String kind, String phase, Double trendPerHour,
        Instant stepStartedAt, Instant deploymentStartedAt)
        implements EventData {

    public static final String KIND_THRESHOLD = "threshold";
    public static final String KIND_UNAVAILABLE = "unavailable";
    public static final String KIND_CRITERIA = "criteria";
    public static final String PHASE_ROLLOUT = "rollout";
    public static final String PHASE_BAKE = "bake";
    public static final String PHASE_VERIFICATION = "verification";

    /** A breach without the kind, phase, trend and start times (a threshold breach during the rollout). */
    public ThresholdBreached(String service, String environment, String version, String check, String metric,
            String query, List<Double> observed, double threshold, Operator operator, Duration window,
            Severity severity, int failures, int failureLimit, Instant observedAt, Integer stepIndex,
            Measure measure, Double baseline, String ruleVersion) {
        this(service, environment, version, check, metric, query, observed, threshold, operator, window, severity,
                failures, failureLimit, observedAt, stepIndex, measure, baseline, ruleVersion, null, null, null, null,
                null);
    }

    /** A breach of a check of the value itself, without a rule version. */
    public ThresholdBreached(String service, String environment, String version, String check, String metric,
            String query, List<Double> observed, double threshold, Operator operator, Duration window,
            Severity severity, int failures, int failureLimit, Instant observedAt, Integer stepIndex) {
        this(service, environment, version, check, metric, query, observed, threshold, operator, window, severity,
                failures, failureLimit, observedAt, stepIndex, null, null, null);
    }

    /** {@link #kind()}, {@value #KIND_THRESHOLD} when absent. */
    public String kindOrDefault() {
        return kind == null ? KIND_THRESHOLD : kind;
    }

    /** {@link #phase()}, {@value #PHASE_ROLLOUT} when absent. */
    public String phaseOrDefault() {
        return phase == null ? PHASE_ROLLOUT : phase;
    }

    public ThresholdBreached {
        Require.text(service, "service");
        Require.text(environment, "environment");
        Require.text(check, "check");
        Require.text(metric, "metric");
        observed = Require.list(observed);
        Require.present(operator, "operator");
        Require.present(severity, "severity");
        Require.present(observedAt, "observedAt");
    }
}
