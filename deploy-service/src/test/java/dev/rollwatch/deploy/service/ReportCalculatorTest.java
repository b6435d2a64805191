package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.domain.StepStatus;
import dev.rollwatch.events.SmokeCheck;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class ReportCalculatorTest {

    private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    private static final List<StepSpec> PLAN = List.of(StepSpec.setWeight(5), StepSpec.pause(Duration.ofSeconds(60)),
            StepSpec.smoke(List.of(new SmokeCheck("http://x/health", "GET", 200, null, null, 0),
                    new SmokeCheck("http://x/ready", "GET", 200, null, null, 0))),
            StepSpec.setWeight(25), StepSpec.analysis(Duration.ofSeconds(120)), StepSpec.setWeight(100));

    @Test
    void aSuccessfulRolloutReportsTargetVersusActualAndTimeAtEachWeight() {
        List<ReportCalculator.StepFacts> history = List.of(
                new ReportCalculator.StepFacts(0, StepKind.SET_WEIGHT, 5, StepStatus.SUCCEEDED, at(1), at(2), null,
                        null),
                new ReportCalculator.StepFacts(1, StepKind.PAUSE, null, StepStatus.SUCCEEDED, at(2), at(62), null,
                        null),
                new ReportCalculator.StepFacts(2, StepKind.SMOKE, null, StepStatus.SUCCEEDED, at(62), at(63), 2, 2),
                new ReportCalculator.StepFacts(3, StepKind.SET_WEIGHT, 25, StepStatus.SUCCEEDED, at(63), at(64), null,
                        null),
                new ReportCalculator.StepFacts(4, StepKind.ANALYSIS, null, StepStatus.SUCCEEDED, at(64), at(190),
                        null, null),
                new ReportCalculator.StepFacts(5, StepKind.SET_WEIGHT, 100, StepStatus.SUCCEEDED, at(190), at(191),
                        null, null));
        ReportCalculator.Report r = ReportCalculator.compute(new ReportCalculator.Facts(DeploymentStatus.SUCCEEDED,
                T0, at(200), PLAN, null, null, null), history, at(5000));

        assertThat(r.plannedDurationMs()).isEqualTo(180_000);
        assertThat(r.totalDurationMs()).isEqualTo(200_000);
        assertThat(r.finished()).isTrue();
        assertThat(r.steps()).extracting(ReportCalculator.StepLine::durationMs)
                .containsExactly(1000L, 60_000L, 1000L, 1000L, 126_000L, 1000L);
        assertThat(r.steps().get(4).plannedMs()).isEqualTo(120_000L);
        assertThat(r.timeAtWeightMs()).containsExactly(entry(0, 2000L), entry(5, 62_000L), entry(25, 127_000L),
                entry(100, 9000L));
        assertThat(r.smoke().passRate()).isEqualTo(1.0);
        assertThat(r.detectionToRollbackMs()).isNull();
        assertThat(r.rollbackDurationMs()).isNull();
    }

    @Test
    void aRolledBackDeploymentReportsDetectionToRollbackRollbackDurationAndTheCanaryBackAtZero() {
        List<ReportCalculator.StepFacts> history = List.of(
                new ReportCalculator.StepFacts(0, StepKind.SET_WEIGHT, 5, StepStatus.SUCCEEDED, at(0), at(1), null,
                        null),
                new ReportCalculator.StepFacts(1, StepKind.PAUSE, null, StepStatus.ABORTED, at(1), at(30), null, null));
        ReportCalculator.Report r = ReportCalculator.compute(new ReportCalculator.Facts(DeploymentStatus.ROLLED_BACK,
                T0, at(32), PLAN, at(28), at(30), at(32)), history, at(100));

        assertThat(r.detectionToRollbackMs()).isEqualTo(4000L);
        assertThat(r.rollbackDurationMs()).isEqualTo(2000L);
        assertThat(r.timeAtWeightMs()).containsExactly(entry(0, 1000L), entry(5, 31_000L));
        assertThat(r.smoke()).isNull();
        assertThat(r.totalDurationMs()).isEqualTo(32_000L);
    }

    @Test
    void aRunningDeploymentIsMeasuredUntilNowAndSmokePassRateCountsEveryCheck() {
        List<ReportCalculator.StepFacts> history = List.of(
                new ReportCalculator.StepFacts(0, StepKind.SET_WEIGHT, 5, StepStatus.SUCCEEDED, at(0), at(1), null,
                        null),
                new ReportCalculator.StepFacts(1, StepKind.PAUSE, null, StepStatus.SUCCEEDED, at(1), at(61), null,
                        null),
                new ReportCalculator.StepFacts(2, StepKind.SMOKE, null, StepStatus.FAILED, at(61), at(62), 1, 2));
        ReportCalculator.Report r = ReportCalculator.compute(new ReportCalculator.Facts(DeploymentStatus.PAUSED,
                T0, null, PLAN, null, null, null), history, at(70));

        assertThat(r.finished()).isFalse();
        assertThat(r.totalDurationMs()).isEqualTo(70_000L);
        assertThat(r.smoke()).isEqualTo(new ReportCalculator.Smoke(1, 2, 0.5));
        assertThat(r.timeAtWeightMs()).containsExactly(entry(0, 1000L), entry(5, 69_000L));
    }
}
