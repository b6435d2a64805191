package dev.rollwatch.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A check crossed its threshold often enough to count as a breach: {@code observed <operator> threshold} held
 * for {@code failures} measurements (at least {@code failureLimit}). {@code observedAt} is when the deciding
 * measurement was taken: the start of the detection-to-rollback clock. Topic {@code threshold-breached}.
 */
public record ThresholdBreached(String service, String environment, String version, String check, String metric,
        String query, List<Double> observed, double threshold, Operator operator, Duration window,
        Severity severity, int failures, int failureLimit, Instant observedAt, Integer stepIndex)
        implements EventData {
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
