package dev.rollwatch.events;

import java.time.Duration;

/**
 * One analysis check. The check fails a measurement when the value leaves {@code [min, max]} (either bound may
 * be absent); it breaches when {@code failureLimit} measurements have failed. {@code measure} says what is
 * compared with the range (absent: {@link Measure#VALUE}, the value itself): a comparison with the stable
 * version's baseline or a growth per hour.
 */
public record CheckSpec(String name, String provider, String metric, String query, Double min, Double max,
        Duration interval, Duration window, Integer failureLimit, Integer consecutiveErrorLimit, Severity severity,
        Measure measure) {

    /** A check of the value itself. */
    public CheckSpec(String name, String provider, String metric, String query, Double min, Double max,
            Duration interval, Duration window, Integer failureLimit, Integer consecutiveErrorLimit,
            Severity severity) {
        this(name, provider, metric, query, min, max, interval, window, failureLimit, consecutiveErrorLimit, severity,
                null);
    }

    /** {@link #measure()}, {@link Measure#VALUE} when absent. */
    public Measure measureOrDefault() {
        return measure == null ? Measure.VALUE : measure;
    }

    public CheckSpec {
        Require.text(name, "check.name");
        Require.text(metric, "check.metric");
        if (min == null && max == null) {
            throw new IllegalArgumentException("check " + name + " needs min or max");
        }
    }
}
