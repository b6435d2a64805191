package dev.rollwatch.monitor.domain;

import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.Operator;
import dev.rollwatch.events.Severity;

import java.time.Duration;

/**
 * A check as the monitor applies it: a {@link CheckSpec} with every default filled in. A measurement fails when
 * its value leaves {@code [min, max]}; the check breaches when {@code failureLimit} consecutive measurements
 * have failed.
 */
public record CheckRule(String name, String provider, String metric, String query, Double min, Double max,
        Duration interval, Duration window, int failureLimit, int consecutiveErrorLimit, Severity severity) {

    public static final String DEFAULT_PROVIDER = "scrape";
    public static final int DEFAULT_FAILURE_LIMIT = 1;
    /** Argo Rollouts' default: four measurements in a row that could not be taken make the check ERROR. */
    public static final int DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    public static final Severity DEFAULT_SEVERITY = Severity.P2;

    public CheckRule {
        if (name == null || name.isBlank() || metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("a check needs a name and a metric");
        }
        if (min == null && max == null) {
            throw new IllegalArgumentException("check " + name + " needs min or max");
        }
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("check " + name + " has min " + min + " above max " + max);
        }
        if (failureLimit < 1 || consecutiveErrorLimit < 1) {
            throw new IllegalArgumentException("check " + name + " needs failureLimit and consecutiveErrorLimit >= 1");
        }
    }

    /** The rule for a check a deployment asked for, with the monitor's defaults where it said nothing. */
    public static CheckRule from(CheckSpec spec) {
        return new CheckRule(spec.name(), spec.provider() == null ? DEFAULT_PROVIDER : spec.provider(),
                spec.metric(), spec.query(), spec.min(), spec.max(),
                spec.interval() == null ? DEFAULT_INTERVAL : spec.interval(), spec.window(),
                spec.failureLimit() == null ? DEFAULT_FAILURE_LIMIT : spec.failureLimit(),
                spec.consecutiveErrorLimit() == null ? DEFAULT_CONSECUTIVE_ERROR_LIMIT : spec.consecutiveErrorLimit(),
                spec.severity() == null ? DEFAULT_SEVERITY : spec.severity());
    }

    /** The comparison a value violates ({@code GT} over max, {@code LT} under min), or null when it is in range. */
    public Operator violated(double value) {
        if (max != null && value > max) {
            return Operator.GT;
        }
        if (min != null && value < min) {
            return Operator.LT;
        }
        return null;
    }

    /** The bound the operator was compared against. */
    public double threshold(Operator operator) {
        return operator == Operator.LT || operator == Operator.LTE ? min : max;
    }
}
