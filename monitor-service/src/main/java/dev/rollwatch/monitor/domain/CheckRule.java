package dev.rollwatch.monitor.domain;

import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.Measure;
import dev.rollwatch.events.Operator;
import dev.rollwatch.events.Severity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * A check as the monitor applies it: a {@link CheckSpec} with every default filled in. A measurement fails when
 * its value leaves {@code [min, max]}; the check breaches when {@code failureLimit} consecutive measurements
 * have failed. {@code measure} says what is compared with the range: the value itself, the value against the
 * stable version's (ratio or difference), or its growth per hour over the window.
 */
public record CheckRule(String name, String provider, String metric, String query, Double min, Double max,
        Duration interval, Duration window, int failureLimit, int consecutiveErrorLimit, Severity severity,
        Measure measure) {

    public static final String DEFAULT_PROVIDER = "scrape";
    public static final int DEFAULT_FAILURE_LIMIT = 1;
    /** Argo Rollouts' default: four measurements in a row that could not be taken make the check ERROR. */
    public static final int DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    public static final Severity DEFAULT_SEVERITY = Severity.P2;
    /** The trend window of a GROWTH_PER_HOUR check that names none. */
    public static final Duration DEFAULT_TREND_WINDOW = Duration.ofMinutes(5);
    /** How old the stable version's pushed value may be to serve as the baseline of a check that names no window. */
    public static final Duration DEFAULT_BASELINE_WINDOW = Duration.ofMinutes(1);
    /** The rule version of the built-in checks. */
    public static final String BUILTIN_VERSION = "builtin-v2";

    /** A check of the value itself. */
    public CheckRule(String name, String provider, String metric, String query, Double min, Double max,
            Duration interval, Duration window, int failureLimit, int consecutiveErrorLimit, Severity severity) {
        this(name, provider, metric, query, min, max, interval, window, failureLimit, consecutiveErrorLimit, severity,
                Measure.VALUE);
    }

    public CheckRule {
        measure = measure == null ? Measure.VALUE : measure;
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
                spec.severity() == null ? DEFAULT_SEVERITY : spec.severity(), spec.measureOrDefault());
    }

    /** The severity of a step's criterion that names none: a failed canary criterion is a P1. */
    public static final Severity DEFAULT_CRITERION_SEVERITY = Severity.P1;

    /**
     * The rule of a step's own criterion ({@code StepSpec.criteria} of ANALYSIS step {@code stepIndex}): named
     * {@code <name>@step<index>} so that it never collides with the deployment's checks, P1 unless it says otherwise.
     */
    public static CheckRule criterion(CheckSpec spec, int stepIndex) {
        CheckRule r = from(spec);
        return new CheckRule(spec.name() + "@step" + stepIndex, r.provider(), r.metric(), r.query(), r.min(), r.max(),
                r.interval(), r.window(), r.failureLimit(), r.consecutiveErrorLimit(),
                spec.severity() == null ? DEFAULT_CRITERION_SEVERITY : spec.severity(), r.measure());
    }

    /** The window a GROWTH_PER_HOUR check fits its slope over, or a BASELINE_* check accepts a pushed baseline in. */
    public Duration effectiveWindow() {
        if (window != null) {
            return window;
        }
        return measure == Measure.GROWTH_PER_HOUR ? DEFAULT_TREND_WINDOW : DEFAULT_BASELINE_WINDOW;
    }

    /**
     * Identifies the definition that judged, for the breach event: {@value #BUILTIN_VERSION} for a built-in check,
     * else the first 12 hex digits of the SHA-256 of every field that decides (so the same spec always has the same
     * version, and any change to it a different one).
     */
    public String ruleVersion() {
        if (DefaultChecks.isBuiltIn(this)) {
            return BUILTIN_VERSION;
        }
        String canonical = String.join("\u001f", name, provider, metric, String.valueOf(query), String.valueOf(min),
                String.valueOf(max), String.valueOf(interval), String.valueOf(window), Integer.toString(failureLimit),
                Integer.toString(consecutiveErrorLimit), String.valueOf(severity), measure.name());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
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
