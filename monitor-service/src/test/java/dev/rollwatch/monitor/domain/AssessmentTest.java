package dev.rollwatch.monitor.domain;

import dev.rollwatch.events.Operator;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.rollwatch.monitor.domain.MeasurementOutcome.ERROR;
import static dev.rollwatch.monitor.domain.MeasurementOutcome.FAILED;
import static dev.rollwatch.monitor.domain.MeasurementOutcome.PASSED;
import static org.assertj.core.api.Assertions.assertThat;

class AssessmentTest {

    private static final Instant T0 = Instant.parse("2026-03-02T14:00:00Z");

    static CheckRule errorRate(int failureLimit) {
        return new CheckRule("error-rate", "push", "error_rate", null, null, 0.01, Duration.ofSeconds(5),
                Duration.ofSeconds(30), failureLimit, 3, Severity.P1);
    }

    /** Feeds values (null = could not measure) and returns every step. */
    static List<Assessment.Step> feed(CheckRule rule, Double... values) {
        List<Assessment.Step> steps = new ArrayList<>();
        CheckProgress p = CheckProgress.NONE;
        for (int i = 0; i < values.length; i++) {
            Measurement m = new Measurement(values[i], T0.plusSeconds(i), Assessment.judge(rule, values[i]));
            Assessment.Step step = Assessment.advance(p, rule, m);
            steps.add(step);
            p = step.progress();
        }
        return steps;
    }

    static List<Decision> decisions(List<Assessment.Step> steps) {
        return steps.stream().map(Assessment.Step::decision).toList();
    }

    static CheckProgress last(List<Assessment.Step> steps) {
        return steps.get(steps.size() - 1).progress();
    }

    @Test
    void aValueOutsideTheRangeFailsAndInsidePasses() {
        CheckRule max = errorRate(1);
        assertThat(Assessment.judge(max, 0.08)).isEqualTo(FAILED);
        assertThat(Assessment.judge(max, 0.01)).as("the bound itself is in range").isEqualTo(PASSED);
        assertThat(Assessment.judge(max, 0.0)).isEqualTo(PASSED);

        CheckRule min = DefaultChecks.SUCCESS_RATE;
        assertThat(Assessment.judge(min, 0.998)).isEqualTo(FAILED);
        assertThat(Assessment.judge(min, 0.9995)).isEqualTo(PASSED);
        assertThat(min.violated(0.998)).isEqualTo(Operator.LT);
        assertThat(min.threshold(Operator.LT)).isEqualTo(0.999);
        assertThat(max.violated(0.08)).isEqualTo(Operator.GT);
        assertThat(max.threshold(Operator.GT)).isEqualTo(0.01);
    }

    @Test
    void missingNanOrInfiniteValuesAreErrorNotFailure() {
        CheckRule rule = errorRate(1);
        assertThat(Assessment.judge(rule, null)).isEqualTo(ERROR);
        assertThat(Assessment.judge(rule, Double.NaN)).isEqualTo(ERROR);
        assertThat(Assessment.judge(rule, Double.POSITIVE_INFINITY)).isEqualTo(ERROR);

        List<Assessment.Step> steps = feed(rule, null, null, null);
        assertThat(decisions(steps)).containsExactly(Decision.NONE, Decision.NONE, Decision.ERROR_LIMIT);
        assertThat(last(steps).failures()).isZero();
        assertThat(last(steps).episodes()).as("ERROR never breaches by itself").isZero();
        assertThat(Assessment.verdict(last(steps), rule)).isEqualTo(Verdict.ERROR);
    }

    @Test
    void theFirstFailureBreachesWithTheDefaultLimitOfOne() {
        List<Assessment.Step> steps = feed(errorRate(1), 0.002, 0.08);
        assertThat(decisions(steps)).containsExactly(Decision.NONE, Decision.BREACH);
        assertThat(last(steps).failingValues()).containsExactly(0.08);
        assertThat(last(steps).inBreach()).isTrue();
        assertThat(last(steps).episodes()).isEqualTo(1);
    }

    @Test
    void aBreachNeedsFailureLimitConsecutiveFailures() {
        List<Assessment.Step> steps = feed(errorRate(3), 0.02, 0.03, 0.001, 0.04, 0.05, 0.06);
        assertThat(decisions(steps)).containsExactly(Decision.NONE, Decision.NONE, Decision.NONE, Decision.NONE,
                Decision.NONE, Decision.BREACH);
        assertThat(last(steps).failures()).isEqualTo(3);
        assertThat(last(steps).totalFailures()).isEqualTo(5);
        assertThat(last(steps).failingValues()).as("the values of the run that breached")
                .containsExactly(0.04, 0.05, 0.06);
    }

    @Test
    void aSustainedBreachIsOneEpisodeAndARecoveryThenABreachIsANewOne() {
        List<Assessment.Step> steps = feed(errorRate(1), 0.08, 0.09, 0.07, 0.002, 0.05, 0.06);
        assertThat(decisions(steps)).containsExactly(Decision.BREACH, Decision.NONE, Decision.NONE,
                Decision.RECOVERED, Decision.BREACH, Decision.NONE);
        assertThat(last(steps).episodes()).isEqualTo(2);
        assertThat(steps.get(3).progress().inBreach()).isFalse();
        assertThat(steps.get(2).progress().failingValues()).containsExactly(0.08, 0.09, 0.07);
    }

    @Test
    void anErrorNeitherCountsAsAFailureNorEndsAFailingRun() {
        List<Assessment.Step> steps = feed(errorRate(2), 0.05, null, 0.06);
        assertThat(decisions(steps)).containsExactly(Decision.NONE, Decision.NONE, Decision.BREACH);
        assertThat(last(steps).failingValues()).containsExactly(0.05, 0.06);
        assertThat(last(steps).consecutiveErrors()).isZero();
    }

    @Test
    void failingValuesAreBoundedToTheLatest() {
        Double[] values = new Double[25];
        for (int i = 0; i < values.length; i++) {
            values[i] = 0.1 + i;
        }
        CheckProgress p = last(feed(errorRate(1), values));
        assertThat(p.failingValues()).hasSize(CheckProgress.KEPT_VALUES).endsWith(24.1);
        assertThat(p.failures()).isEqualTo(25);
    }

    @Test
    void verdictsFollowArgosRules() {
        CheckRule rule = errorRate(2);
        assertThat(Assessment.verdict(CheckProgress.NONE, rule)).as("no data is never success")
                .isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(Assessment.verdict(last(feed(rule, (Double) null)), rule)).as("errors below the limit: still no data")
                .isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(Assessment.verdict(last(feed(rule, 0.001, 0.002)), rule)).isEqualTo(Verdict.SUCCESSFUL);
        assertThat(Assessment.verdict(last(feed(rule, 0.001, 0.05)), rule)).as("one failure under the limit")
                .isEqualTo(Verdict.SUCCESSFUL);
        assertThat(Assessment.verdict(last(feed(rule, 0.05, 0.05)), rule)).isEqualTo(Verdict.FAILED);
        assertThat(Assessment.verdict(last(feed(rule, 0.05, 0.05, 0.001)), rule))
                .as("a check that breached failed the deployment even after it recovered")
                .isEqualTo(Verdict.FAILED);
        assertThat(Assessment.verdict(last(feed(rule, 0.001, null, null, null)), rule)).isEqualTo(Verdict.ERROR);
    }

    @Test
    void anAnalysisStepIsJudgedOnlyOnWhatWasMeasuredDuringIt() {
        CheckRule rule = errorRate(1);
        CheckProgress before = last(feed(rule, 0.001, 0.002));
        assertThat(Assessment.stepVerdict(before, before, rule)).as("no data during the step")
                .isEqualTo(Verdict.INCONCLUSIVE);

        CheckProgress good = Assessment.advance(before, rule, new Measurement(0.003, T0, PASSED)).progress();
        assertThat(Assessment.stepVerdict(before, good, rule)).isEqualTo(Verdict.SUCCESSFUL);

        CheckProgress bad = Assessment.advance(good, rule, new Measurement(0.2, T0, FAILED)).progress();
        CheckProgress recovered = Assessment.advance(bad, rule, new Measurement(0.001, T0, PASSED)).progress();
        assertThat(Assessment.stepVerdict(before, recovered, rule)).as("a breach during the step, even recovered")
                .isEqualTo(Verdict.FAILED);
        assertThat(Assessment.stepVerdict(recovered, recovered, rule)).as("an earlier breach is not this step's")
                .isEqualTo(Verdict.INCONCLUSIVE);

        CheckProgress onlyErrors = before;
        for (int i = 0; i < 2; i++) {
            onlyErrors = Assessment.advance(onlyErrors, rule, new Measurement(null, T0, ERROR)).progress();
        }
        assertThat(Assessment.stepVerdict(before, onlyErrors, rule)).as("errors below the limit are no data")
                .isEqualTo(Verdict.INCONCLUSIVE);
        onlyErrors = Assessment.advance(onlyErrors, rule, new Measurement(null, T0, ERROR)).progress();
        assertThat(Assessment.stepVerdict(before, onlyErrors, rule)).isEqualTo(Verdict.ERROR);

        assertThat(Assessment.worst(List.of(Verdict.SUCCESSFUL, Verdict.INCONCLUSIVE, Verdict.ERROR)))
                .isEqualTo(Verdict.ERROR);
        assertThat(Assessment.worst(List.of(Verdict.ERROR, Verdict.FAILED))).isEqualTo(Verdict.FAILED);
        assertThat(Assessment.worst(List.of())).isEqualTo(Verdict.INCONCLUSIVE);
    }
}
