package dev.rollwatch.monitor.domain;

import dev.rollwatch.events.Measure;
import dev.rollwatch.events.Severity;

import java.time.Duration;
import java.util.List;

/**
 * The runbooks' thresholds, used when a deployment names no checks of its own (issue 15, item 4; each one's runbook
 * rule is listed in docs/runbook-policy.md, "Monitor"). Severities only say how urgent a breach is: what it does (roll
 * back now, once sustained, ask a person, notify) is the rollback service's runbook policy pack.
 *
 * <p>Units: rates and utilisations are fractions (0.01 = 1 %), latencies seconds (as Prometheus histograms measure
 * them), memory bytes with MB = 10^6 bytes as the runbooks write. A built-in check on a metric the target does not
 * expose has no data: it stays INCONCLUSIVE, never ERROR, never a breach, never an outage.
 */
public final class DefaultChecks {

    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Duration WINDOW = Duration.ofSeconds(30);

    /** 000: error rate > 1 % → P1 (page immediately). */
    public static final CheckRule ERROR_RATE = rule("error-rate", "error_rate", null, 0.01, Severity.P1);
    /** 004: error rate > 0.5 % → WARN (notify the team): P3. */
    public static final CheckRule ERROR_RATE_WARNING = rule("error-rate-warning", "error_rate", null, 0.005,
            Severity.P3);
    /**
     * 001: error rate > 5 % sustained → immediate rollback. Its own check so that its episode is open exactly while
     * errors are above 5 %: the rollback pack's "sustained" rule waits on it.
     */
    public static final CheckRule ERROR_RATE_CRITICAL = rule("error-rate-critical", "error_rate", null, 0.05,
            Severity.P1);
    /** 004: p95 latency > 1 s → WARN: P2. (000's 500 ms is a target for the report, not a check.) */
    public static final CheckRule LATENCY_P95 = rule("latency-p95", "latency_p95", null, 1.0, Severity.P2);
    /** 004: p95 latency > 3 s → CRITICAL: P1. */
    public static final CheckRule LATENCY_P95_CRITICAL = rule("latency-p95-critical", "latency_p95", null, 3.0,
            Severity.P1);
    /** 004: p99 latency target < 2 s: above it is P2. */
    public static final CheckRule LATENCY_P99 = rule("latency-p99", "latency_p99", null, 2.0, Severity.P2);
    /** 000/001: success rate > 99.9 % is the target: under it is P2 (the pack decides what it does). */
    public static final CheckRule SUCCESS_RATE = rule("success-rate", "success_rate", 0.999, null, Severity.P2);
    /** 001: success rate < 95 % → rollback: P1. */
    public static final CheckRule SUCCESS_RATE_CRITICAL = rule("success-rate-critical", "success_rate", 0.95, null,
            Severity.P1);
    /** 000: queue size > 1000 → P1 (001: "and growing" → conditional rollback, the pack's rule on the trend). */
    public static final CheckRule QUEUE_SIZE = rule("queue-size", "queue_size", null, 1000.0, Severity.P1);
    /** 000: queue size > 500 → P2. */
    public static final CheckRule QUEUE_SIZE_HIGH = rule("queue-size-high", "queue_size", null, 500.0, Severity.P2);
    /** 000: queue growth > 200 → P3. */
    public static final CheckRule QUEUE_SIZE_WARNING = rule("queue-size-warning", "queue_size", null, 200.0,
            Severity.P3);
    /** 10 MB per hour, in bytes per hour, with MB = 10^6 bytes as the runbooks write. */
    public static final double TEN_MB_PER_HOUR = 10.0 * 1_000_000;
    /**
     * 000: memory leak / growth > 10 MB/h → P1: the least-squares slope of the resident memory gauge over five
     * minutes, per hour.
     */
    public static final CheckRule MEMORY_GROWTH = new CheckRule("memory-growth", CheckRule.DEFAULT_PROVIDER,
            "process_resident_memory_bytes", null, null, TEN_MB_PER_HOUR, INTERVAL, CheckRule.DEFAULT_TREND_WINDOW,
            CheckRule.DEFAULT_FAILURE_LIMIT, CheckRule.DEFAULT_CONSECUTIVE_ERROR_LIMIT, Severity.P1,
            Measure.GROWTH_PER_HOUR);
    /** 004: memory > 90 % → CRITICAL: P1 ({@code memory_utilization}, a 0..1 gauge). */
    public static final CheckRule MEMORY_UTILIZATION = rule("memory-utilization", "memory_utilization", null, 0.9,
            Severity.P1);
    /** 004: CPU > 70 % → WARN: P2 ({@code cpu_utilization}, a 0..1 gauge). */
    public static final CheckRule CPU_UTILIZATION = rule("cpu-utilization", "cpu_utilization", null, 0.7,
            Severity.P2);
    /** 004: CPU > 85 % → CRITICAL: P1. */
    public static final CheckRule CPU_UTILIZATION_CRITICAL = rule("cpu-utilization-critical", "cpu_utilization", null,
            0.85, Severity.P1);

    public static final List<CheckRule> ALL = List.of(ERROR_RATE, ERROR_RATE_WARNING, ERROR_RATE_CRITICAL,
            LATENCY_P95, LATENCY_P95_CRITICAL, LATENCY_P99, SUCCESS_RATE, SUCCESS_RATE_CRITICAL, QUEUE_SIZE,
            QUEUE_SIZE_HIGH, QUEUE_SIZE_WARNING, MEMORY_GROWTH, MEMORY_UTILIZATION, CPU_UTILIZATION,
            CPU_UTILIZATION_CRITICAL);

    private DefaultChecks() {
    }

    /** Whether {@code rule} is one of the built-in checks (a deployment that named no checks of its own). */
    public static boolean isBuiltIn(CheckRule rule) {
        return ALL.contains(rule);
    }

    private static CheckRule rule(String name, String metric, Double min, Double max, Severity severity) {
        return new CheckRule(name, CheckRule.DEFAULT_PROVIDER, metric, null, min, max, INTERVAL, WINDOW,
                CheckRule.DEFAULT_FAILURE_LIMIT, CheckRule.DEFAULT_CONSECUTIVE_ERROR_LIMIT, severity);
    }
}
