package dev.rollwatch.monitor.domain;

import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.Measure;
import dev.rollwatch.events.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class CheckRuleTest {

    /** One row per runbook rule a built-in check encodes (docs/runbook-policy.md, "Monitor"). */
    @Test
    void theBuiltInChecksAreTheRunbooksThresholds() {
        assertThat(DefaultChecks.ALL)
                .extracting(CheckRule::name, CheckRule::metric, CheckRule::min, CheckRule::max, CheckRule::severity,
                        CheckRule::failureLimit, CheckRule::measure)
                .containsExactly(
                        // 000: error rate > 1 % → P1
                        tuple("error-rate", "error_rate", null, 0.01, Severity.P1, 1, Measure.VALUE),
                        // 004: error rate > 0.5 % → WARN (P3)
                        tuple("error-rate-warning", "error_rate", null, 0.005, Severity.P3, 1, Measure.VALUE),
                        // 001: error rate > 5 % sustained → immediate rollback (the pack waits on this episode)
                        tuple("error-rate-critical", "error_rate", null, 0.05, Severity.P1, 1, Measure.VALUE),
                        // 004: p95 > 1 s WARN (P2), > 3 s CRITICAL (P1); 000's 500 ms is a report target
                        tuple("latency-p95", "latency_p95", null, 1.0, Severity.P2, 1, Measure.VALUE),
                        tuple("latency-p95-critical", "latency_p95", null, 3.0, Severity.P1, 1, Measure.VALUE),
                        // 004: p99 target < 2 s
                        tuple("latency-p99", "latency_p99", null, 2.0, Severity.P2, 1, Measure.VALUE),
                        // 000/001: success rate > 99.9 % target (P2); 001: < 95 % → rollback (P1)
                        tuple("success-rate", "success_rate", 0.999, null, Severity.P2, 1, Measure.VALUE),
                        tuple("success-rate-critical", "success_rate", 0.95, null, Severity.P1, 1, Measure.VALUE),
                        // 000: queue > 1000 P1, > 500 P2, > 200 P3
                        tuple("queue-size", "queue_size", null, 1000.0, Severity.P1, 1, Measure.VALUE),
                        tuple("queue-size-high", "queue_size", null, 500.0, Severity.P2, 1, Measure.VALUE),
                        tuple("queue-size-warning", "queue_size", null, 200.0, Severity.P3, 1, Measure.VALUE),
                        // 000: memory growth > 10 MB/h → P1, MB = 10^6 bytes, as a trend of the resident memory
                        tuple("memory-growth", "process_resident_memory_bytes", null, 10_000_000.0, Severity.P1, 1,
                                Measure.GROWTH_PER_HOUR),
                        // 004: memory > 90 % CRITICAL (P1); CPU > 70 % WARN (P2), > 85 % CRITICAL (P1)
                        tuple("memory-utilization", "memory_utilization", null, 0.9, Severity.P1, 1, Measure.VALUE),
                        tuple("cpu-utilization", "cpu_utilization", null, 0.7, Severity.P2, 1, Measure.VALUE),
                        tuple("cpu-utilization-critical", "cpu_utilization", null, 0.85, Severity.P1, 1,
                                Measure.VALUE));
        assertThat(DefaultChecks.ALL).extracting(CheckRule::ruleVersion).containsOnly("builtin-v2");
    }

    @Test
    void aStepsCriterionIsNamedAfterItsStepAndIsP1UnlessItSaysOtherwise() {
        CheckSpec canary = new CheckSpec("canary-errors", "scrape", "error_rate", null, null, 0.005, null, null,
                null, null, null);
        CheckRule rule = CheckRule.criterion(canary, 2);
        assertThat(rule.name()).isEqualTo("canary-errors@step2");
        assertThat(rule.severity()).isEqualTo(Severity.P1);
        assertThat(rule.max()).isEqualTo(0.005);
        assertThat(CheckRule.criterion(new CheckSpec("c", null, "error_rate", null, null, 0.001, null, null, null,
                null, Severity.P2), 4).severity()).isEqualTo(Severity.P2);
    }

    @Test
    void aRuleVersionIsAStableDigestOfTheDefinitionThatChangesWithIt() {
        CheckSpec spec = new CheckSpec("errors", "push", "error_rate", null, null, 0.02, null, null, 2, null,
                Severity.P1);
        String version = CheckRule.from(spec).ruleVersion();
        assertThat(version).matches("[0-9a-f]{12}").isEqualTo(CheckRule.from(spec).ruleVersion());
        assertThat(CheckRule.from(new CheckSpec("errors", "push", "error_rate", null, null, 0.03, null, null, 2, null,
                Severity.P1)).ruleVersion()).isNotEqualTo(version);
        assertThat(CheckRule.from(new CheckSpec("errors", "push", "error_rate", null, null, 0.02, null, null, 2, null,
                Severity.P1, Measure.BASELINE_RATIO)).ruleVersion()).isNotEqualTo(version);
    }

    @Test
    void aSpecsMeasureIsKeptAndTheTrendWindowDefaultsToFiveMinutes() {
        CheckRule trend = CheckRule.from(new CheckSpec("leak", "push", "mem", null, null, 1.0, null, null, null,
                null, null, Measure.GROWTH_PER_HOUR));
        assertThat(trend.measure()).isEqualTo(Measure.GROWTH_PER_HOUR);
        assertThat(trend.effectiveWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(CheckRule.from(new CheckSpec("p", "push", "m", null, null, 1.0, null, null, null, null, null))
                .measure()).isEqualTo(Measure.VALUE);
    }

    @Test
    void aSpecWithoutLimitsGetsTheMonitorsDefaults() {
        CheckRule rule = CheckRule.from(new CheckSpec("p99", null, "latency_p99", null, null, 1.0, null, null, null,
                null, null));
        assertThat(rule.failureLimit()).isEqualTo(1);
        assertThat(rule.consecutiveErrorLimit()).isEqualTo(4);
        assertThat(rule.severity()).isEqualTo(Severity.P2);
        assertThat(rule.provider()).isEqualTo("scrape");
        assertThat(rule.interval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aSpecKeepsWhatItSays() {
        CheckRule rule = CheckRule.from(new CheckSpec("errors", "push", "error_rate", "q", 0.0, 0.02,
                Duration.ofSeconds(1), Duration.ofMinutes(1), 3, 2, Severity.P1));
        assertThat(rule).isEqualTo(new CheckRule("errors", "push", "error_rate", "q", 0.0, 0.02,
                Duration.ofSeconds(1), Duration.ofMinutes(1), 3, 2, Severity.P1));
    }

    @Test
    void inconsistentRulesAreRefused() {
        assertThatThrownBy(() -> new CheckRule("x", "push", "m", null, 2.0, 1.0, null, null, 1, 1, Severity.P1))
                .hasMessageContaining("min 2.0 above max 1.0");
        assertThatThrownBy(() -> new CheckRule("x", "push", "m", null, null, 1.0, null, null, 0, 1, Severity.P1))
                .hasMessageContaining("failureLimit");
    }
}
