package dev.rollwatch.monitor.domain;

import dev.rollwatch.events.Measure;
import dev.rollwatch.events.Severity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Duration;
import java.time.Instant;

/**
 * One check of one watch: its effective rule and its progress. The JSON columns hold the values of the current
 * failing run and the last measurements (a bounded ring), so reading a check's state is one row.
 */
@Entity
@Table(name = "check_state")
public class CheckState {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "deployment_id", nullable = false)
    public String deploymentId;

    @Column(nullable = false)
    public int position;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String provider;

    @Column(nullable = false)
    public String metric;

    public String query;

    @Column(name = "min_value")
    public Double minValue;

    @Column(name = "max_value")
    public Double maxValue;

    @Column(name = "interval_ms")
    public Long intervalMs;

    @Column(name = "window_ms")
    public Long windowMs;

    @Column(name = "failure_limit", nullable = false)
    public int failureLimit;

    @Column(name = "consecutive_error_limit", nullable = false)
    public int consecutiveErrorLimit;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Severity severity;

    @Column(nullable = false)
    public int measurements;

    @Column(nullable = false)
    public int failures;

    @Column(name = "total_failures", nullable = false)
    public int totalFailures;

    @Column(name = "consecutive_errors", nullable = false)
    public int consecutiveErrors;

    @Column(name = "in_breach", nullable = false)
    public boolean inBreach;

    @Column(nullable = false)
    public int episodes;

    /** JSON array of the current failing run's values. */
    @Column(name = "failing_values", nullable = false)
    public String failingValues = "[]";

    /** JSON array of the last measurements, oldest first. */
    @Column(nullable = false)
    public String recent = "[]";

    @Column(name = "last_value")
    public Double lastValue;

    @Column(name = "last_observed_at")
    public Instant lastObservedAt;

    /** What the check compares with its range. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Measure measure = Measure.VALUE;

    /** {@link CheckRule#ruleVersion()} of the rule when the watch started. */
    @Column(name = "rule_version")
    public String ruleVersion;

    /** The stable version's latest pushed value of the metric: the baseline of a BASELINE_* check. */
    @Column(name = "baseline_value")
    public Double baselineValue;

    @Column(name = "baseline_observed_at")
    public Instant baselineObservedAt;

    /** JSON array of the GROWTH_PER_HOUR check's points within its window, oldest first. */
    @Column(nullable = false)
    public String trend = "[]";

    /** The ANALYSIS step whose own criterion this is (judged only while that step runs); null for a deployment check. */
    @Column(name = "step_index")
    public Integer stepIndex;

    /**
     * How many points of this check's series ({@code check_point}) were ever appended: the last one's {@code seq}.
     * Never reset (a rollback's restart and a step's retry go on numbering), so the newest N are a key range.
     */
    @Column(name = "series_seq", nullable = false)
    public long seriesSeq;

    /** Whether this is a step's criterion rather than one of the deployment's checks. */
    public boolean isCriterion() {
        return stepIndex != null;
    }

    /** The check's counters now. */
    public CheckProgress progress() {
        return new CheckProgress(measurements, failures, totalFailures, consecutiveErrors, inBreach, episodes,
                dev.rollwatch.monitor.service.Json.doubles(failingValues));
    }

    /**
     * Starts over on another version (a rollback's restored one): every counter but the episode count (which keeps
     * breach ids unique) is reset, and the figures of the new version start empty.
     */
    public void restart() {
        measurements = 0;
        failures = 0;
        totalFailures = 0;
        consecutiveErrors = 0;
        inBreach = false;
        failingValues = "[]";
        recent = "[]";
        trend = "[]";
        lastValue = null;
        lastObservedAt = null;
        baselineValue = null;
        baselineObservedAt = null;
    }

    /**
     * A step's criterion starts afresh for a re-run of its step (after a step back): the earlier attempt's progress
     * (counters, failing values, an open breach, the measurements) is dropped; the episode count is kept (breach ids
     * stay unique) and so is the stable version's baseline value.
     */
    public void retry() {
        measurements = 0;
        failures = 0;
        totalFailures = 0;
        consecutiveErrors = 0;
        inBreach = false;
        failingValues = "[]";
        recent = "[]";
        trend = "[]";
        lastValue = null;
        lastObservedAt = null;
    }

    public static CheckState of(String deploymentId, int position, CheckRule rule) {
        CheckState s = new CheckState();
        s.deploymentId = deploymentId;
        s.position = position;
        s.name = rule.name();
        s.provider = rule.provider();
        s.metric = rule.metric();
        s.query = rule.query();
        s.minValue = rule.min();
        s.maxValue = rule.max();
        s.intervalMs = rule.interval() == null ? null : rule.interval().toMillis();
        s.windowMs = rule.window() == null ? null : rule.window().toMillis();
        s.failureLimit = rule.failureLimit();
        s.consecutiveErrorLimit = rule.consecutiveErrorLimit();
        s.severity = rule.severity();
        s.measure = rule.measure();
        s.ruleVersion = rule.ruleVersion();
        return s;
    }

    public CheckRule rule() {
        return new CheckRule(name, provider, metric, query, minValue, maxValue,
                intervalMs == null ? null : Duration.ofMillis(intervalMs),
                windowMs == null ? null : Duration.ofMillis(windowMs), failureLimit, consecutiveErrorLimit, severity,
                measure);
    }
}
