package dev.rollwatch.monitor.domain;

import dev.rollwatch.events.Measure;
import dev.rollwatch.events.Severity;

import java.time.Duration;
import java.util.List;

/** The runbooks' thresholds, used when a deployment names no checks of its own. */
public final class DefaultChecks {

    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Duration WINDOW = Duration.ofSeconds(30);

    /** Error rate above 1% pages (P1) and rolls back at once. */
    public static final CheckRule ERROR_RATE = rule("error-rate", "error_rate", null, 0.01, Severity.P1);
    /** p95 latency above 500 ms (in seconds, as Prometheus histograms measure it) is P2. */
    public static final CheckRule LATENCY_P95 = rule("latency-p95", "latency_p95", null, 0.5, Severity.P2);
    /** Success rate under 99.9% is P2. */
    public static final CheckRule SUCCESS_RATE = rule("success-rate", "success_rate", 0.999, null, Severity.P2);
    /** A queue longer than 1000 is P1. */
    public static final CheckRule QUEUE_SIZE = rule("queue-size", "queue_size", null, 1000.0, Severity.P1);
    /** 10 MB (MiB) per hour, in bytes per hour. */
    public static final double TEN_MB_PER_HOUR = 10.0 * 1024 * 1024;
    /**
     * Memory growing faster than 10 MB per hour (a leak) is P2: the least-squares slope of the resident memory
     * gauge over five minutes, per hour.
     */
    public static final CheckRule MEMORY_GROWTH = new CheckRule("memory-growth", CheckRule.DEFAULT_PROVIDER,
            "process_resident_memory_bytes", null, null, TEN_MB_PER_HOUR, INTERVAL, CheckRule.DEFAULT_TREND_WINDOW,
            CheckRule.DEFAULT_FAILURE_LIMIT, CheckRule.DEFAULT_CONSECUTIVE_ERROR_LIMIT, Severity.P2,
            Measure.GROWTH_PER_HOUR);

    public static final List<CheckRule> ALL = List.of(ERROR_RATE, LATENCY_P95, SUCCESS_RATE, QUEUE_SIZE,
            MEMORY_GROWTH);

    private DefaultChecks() {
    }

    private static CheckRule rule(String name, String metric, Double min, Double max, Severity severity) {
        return new CheckRule(name, CheckRule.DEFAULT_PROVIDER, metric, null, min, max, INTERVAL, WINDOW,
                CheckRule.DEFAULT_FAILURE_LIMIT, CheckRule.DEFAULT_CONSECUTIVE_ERROR_LIMIT, severity);
    }
}
