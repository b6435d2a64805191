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
 * Topic {@code threshold-breached}.
 */
public record ThresholdBreached(String service, String environment, String version, String check, String metric,
        String query, List<Double> observed, double threshold, Operator operator, Duration window,
        Severity severity, int failures, int failureLimit, Instant observedAt, Integer stepIndex,
        Measure measure, Double baseline, String ruleVersion)
        implements EventData {

    /** A breach of a check of the value itself, without a rule version. */
    public ThresholdBreached(String service, String environment, String version, String check, String metric,
            String query, List<Double> observed, double threshold, Operator operator, Duration window,
            Severity severity, int failures, int failureLimit, Instant observedAt, Integer stepIndex) {
        this(service, environment, version, check, metric, query, observed, threshold, operator, window, severity,
                failures, failureLimit, observedAt, stepIndex, null, null, null);
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
