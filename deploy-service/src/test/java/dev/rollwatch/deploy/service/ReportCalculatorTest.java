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

    // The runbooks' metrics summary: target, actual, met (null: cannot be told yet).

    private static dev.rollwatch.events.CheckResult check(String metric, double observed) {
        return new dev.rollwatch.events.CheckResult(metric, metric, dev.rollwatch.events.Verdict.SUCCESSFUL, observed,
                null, null, 10, 0, null);
    }

    private static ReportCalculator.Probe probe(String source, int seq, long second,
            dev.rollwatch.events.Verdict verdict, boolean last, dev.rollwatch.events.CheckResult... checks) {
        return new ReportCalculator.Probe(source, seq, at(second), verdict, last, List.of(checks));
    }

    private static final List<ReportCalculator.StepFacts> GOOD = List.of(
            new ReportCalculator.StepFacts(0, StepKind.SET_WEIGHT, 5, StepStatus.SUCCEEDED, at(1), at(2), null, null),
            new ReportCalculator.StepFacts(2, StepKind.SMOKE, null, StepStatus.SUCCEEDED, at(62), at(63), 2, 2),
            new ReportCalculator.StepFacts(4, StepKind.ANALYSIS, null, StepStatus.SUCCEEDED, at(64), at(190), null,
                    null),
            new ReportCalculator.StepFacts(5, StepKind.SET_WEIGHT, 100, StepStatus.SUCCEEDED, at(190), at(191), null,
                    null));

    @Test
    void aGoodDeploymentMeetsEveryRunbookTargetOnceItsHourAndBakeWindowAreOver() {
        List<ReportCalculator.Probe> probes = List.of(
                probe("analysis", 4, 190, dev.rollwatch.events.Verdict.SUCCESSFUL, false, check("error_rate", 0.002)),
                probe("bake", 1, 200 + 900, dev.rollwatch.events.Verdict.SUCCESSFUL, false,
                        check("error_rate", 0.003), check("success_rate", 0.9995)),
                probe("bake", 2, 200 + 3600, dev.rollwatch.events.Verdict.SUCCESSFUL, true,
                        check("error_rate", 0.001), check("success_rate", 0.9992)));
        ReportCalculator.Report r = ReportCalculator.compute(new ReportCalculator.Facts(DeploymentStatus.SUCCEEDED,
                T0, at(200), PLAN, null, null, null), GOOD, probes, null, ReportCalculator.Targets.RUNBOOK,
                at(5000));

        assertThat(r.figures()).containsOnlyKeys("totalDuration", "downtime", "firstHourErrorRate",
                "bakeAvailability", "detectionToRollback", "smokePassRate");
        assertThat(r.figures().get("totalDuration")).isEqualTo(new ReportCalculator.Figure("ms", "<", 3_600_000,
                200_000.0, true, "001", r.figures().get("totalDuration").how()));
        assertThat(r.figures().get("downtime").actual()).isEqualTo(0.0);
        assertThat(r.figures().get("downtime").met()).isTrue();
        assertThat(r.figures().get("firstHourErrorRate").actual()).as("the worst within the hour").isEqualTo(0.003);
        assertThat(r.figures().get("firstHourErrorRate").met()).isTrue();
        assertThat(r.figures().get("bakeAvailability").actual()).isEqualTo(0.9992);
        assertThat(r.figures().get("bakeAvailability").met()).isTrue();
        assertThat(r.figures().get("detectionToRollback").actual()).isNull();
        assertThat(r.figures().get("detectionToRollback").met()).as("no rollback: nothing to meet").isNull();
        assertThat(r.figures().get("smokePassRate").met()).isTrue();
        assertThat(r.override()).isNull();
        // The existing fields are still there.
        assertThat(r.totalDurationMs()).isEqualTo(200_000);
    }

    @Test
    void aRolledBackDeploymentMissesDowntimeErrorRateAndSmokeButMeetsDetectionToRollback() {
        List<ReportCalculator.StepFacts> history = List.of(
                new ReportCalculator.StepFacts(0, StepKind.SET_WEIGHT, 5, StepStatus.SUCCEEDED, at(1), at(2), null,
                        null),
                new ReportCalculator.StepFacts(2, StepKind.SMOKE, null, StepStatus.FAILED, at(60), at(62), 1, 2));
        List<ReportCalculator.Probe> probes = List.of(
                probe("analysis", 1, 50, dev.rollwatch.events.Verdict.FAILED, false, check("error_rate", 0.02)));
        ReportCalculator.Report r = ReportCalculator.compute(new ReportCalculator.Facts(DeploymentStatus.ROLLED_BACK,
                T0, at(90), PLAN, at(62), at(63), at(90)), history, probes, null, ReportCalculator.Targets.RUNBOOK,
                at(100));

        assertThat(r.figures().get("downtime").actual()).as("failed smoke at 62 until restored at 90")
                .isEqualTo(28_000.0);
        assertThat(r.figures().get("downtime").met()).isFalse();
        assertThat(r.figures().get("firstHourErrorRate").met()).as("2 % is over 0.5 %").isFalse();
        assertThat(r.figures().get("detectionToRollback").actual()).isEqualTo(28_000.0);
        assertThat(r.figures().get("detectionToRollback").met()).as("under 5 minutes").isTrue();
        assertThat(r.figures().get("smokePassRate").actual()).isEqualTo(0.5);
        assertThat(r.figures().get("smokePassRate").met()).isFalse();
        assertThat(r.figures().get("bakeAvailability").actual()).as("never baked").isNull();
    }

    @Test
    void whileRunningAFigureIsMetOnlyWhenItCanBeToldAndMissedAsSoonAsItIsMissed() {
        List<ReportCalculator.Probe> probes = List.of(
                probe("analysis", 4, 190, dev.rollwatch.events.Verdict.ERROR, false),
                probe("bake", 1, 1000, dev.rollwatch.events.Verdict.SUCCESSFUL, false, check("error_rate", 0.004)));
        ReportCalculator.Report early = ReportCalculator.compute(new ReportCalculator.Facts(DeploymentStatus.RUNNING,
                T0, null, PLAN, null, null, null), GOOD, probes, null, ReportCalculator.Targets.RUNBOOK, at(1200));
        assertThat(early.figures().get("totalDuration").met()).as("20 min so far").isNull();
        assertThat(early.figures().get("firstHourErrorRate").met()).as("0.4 % so far, the hour is not over")
                .isNull();
        assertThat(early.figures().get("bakeAvailability").actual()).as("1 - error_rate without success_rate")
                .isEqualTo(0.996);
        assertThat(early.figures().get("bakeAvailability").met()).as("under 99.9 % already").isFalse();
        assertThat(early.figures().get("downtime").actual()).as("unreachable at 190 until measured at 1000")
                .isEqualTo(810_000.0);

        ReportCalculator.Report late = ReportCalculator.compute(new ReportCalculator.Facts(DeploymentStatus.RUNNING,
                T0, null, PLAN, null, null, null), GOOD, List.of(), null, ReportCalculator.Targets.RUNBOOK, at(3700));
        assertThat(late.figures().get("totalDuration").met()).as("over 60 min while still running").isFalse();
        assertThat(late.figures().get("firstHourErrorRate").actual()).as("nothing measured").isNull();
        assertThat(late.figures().get("firstHourErrorRate").met()).isNull();
    }

    @Test
    void anOverrideIsReportedWithWhoWhyAndWhat() {
        ReportCalculator.Override o = new ReportCalculator.Override("otto", "hotfix INC-7",
                "outside-deployment-window: production is frozen");
        ReportCalculator.Report r = ReportCalculator.compute(new ReportCalculator.Facts(DeploymentStatus.SUCCEEDED,
                T0, at(200), PLAN, null, null, null), GOOD, List.of(), o, ReportCalculator.Targets.RUNBOOK, at(300));
        assertThat(r.override()).isEqualTo(o);
    }
}
