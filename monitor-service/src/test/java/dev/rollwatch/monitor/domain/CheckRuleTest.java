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

    @Test
    void theBuiltInChecksAreTheRunbooksThresholds() {
        assertThat(DefaultChecks.ALL)
                .extracting(CheckRule::metric, CheckRule::min, CheckRule::max, CheckRule::severity,
                        CheckRule::failureLimit, CheckRule::measure)
                .containsExactly(
                        tuple("error_rate", null, 0.01, Severity.P1, 1, Measure.VALUE),
                        tuple("latency_p95", null, 0.5, Severity.P2, 1, Measure.VALUE),
                        tuple("success_rate", 0.999, null, Severity.P2, 1, Measure.VALUE),
                        tuple("queue_size", null, 1000.0, Severity.P1, 1, Measure.VALUE),
                        // 10 MB/h as a trend of the resident memory gauge, in bytes per hour.
                        tuple("process_resident_memory_bytes", null, 10.0 * 1024 * 1024, Severity.P2, 1,
                                Measure.GROWTH_PER_HOUR));
        assertThat(DefaultChecks.ALL).extracting(CheckRule::ruleVersion).containsOnly("builtin-v1");
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
