package dev.rollwatch.events;

import java.time.Instant;

/**
 * One measured value of a {@link SamplesReported} batch. {@code version} absent: the version under watch (the
 * canary); the stable version's value, named by its version, is the baseline of BASELINE_* checks.
 * {@code observedAt} absent: when the monitor received it.
 */
public record MetricSample(String metric, double value, Instant observedAt, String version) {
    public MetricSample {
        Require.text(metric, "metric");
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("sample value of " + metric + " must be a finite number");
        }
    }
}
