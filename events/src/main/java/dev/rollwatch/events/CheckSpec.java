package dev.rollwatch.events;

import java.time.Duration;

/**
 * One analysis check. The check fails a measurement when the value leaves {@code [min, max]} (either bound may
 * be absent); it breaches when {@code failureLimit} measurements have failed.
 */
public record CheckSpec(String name, String provider, String metric, String query, Double min, Double max,
        Duration interval, Duration window, Integer failureLimit, Integer consecutiveErrorLimit, Severity severity) {
    public CheckSpec {
        Require.text(name, "check.name");
        Require.text(metric, "check.metric");
        if (min == null && max == null) {
            throw new IllegalArgumentException("check " + name + " needs min or max");
        }
    }
}
