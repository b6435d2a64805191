package dev.rollwatch.deploy.service;

import dev.rollwatch.events.StepSpec;
import dev.rollwatch.events.Trigger;
import dev.rollwatch.events.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.rollwatch.deploy.service.StepPolicy.Decision.ADVANCE;
import static dev.rollwatch.deploy.service.StepPolicy.Decision.AWAIT_APPROVAL;
import static dev.rollwatch.deploy.service.StepPolicy.Decision.HALT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class StepPolicyTest {

    @Test
    void onlyASuccessfulAnalysisAdvancesAndOnlyInconclusiveAsksAHuman() {
        assertThat(StepPolicy.onVerdict(Verdict.SUCCESSFUL)).isEqualTo(ADVANCE);
        assertThat(StepPolicy.onVerdict(Verdict.FAILED)).isEqualTo(HALT);
        assertThat(StepPolicy.onVerdict(Verdict.ERROR)).isEqualTo(HALT);
        assertThat(StepPolicy.onVerdict(Verdict.INCONCLUSIVE)).isEqualTo(AWAIT_APPROVAL);
    }

    @Test
    void aTimedStepIsDueAtItsDeadlinePlusGraceAndAnOpenEndedOneNever() {
        Instant deadline = Instant.parse("2026-01-01T12:00:00Z");
        assertThat(StepPolicy.due(deadline, Duration.ZERO, deadline.minusMillis(1))).isFalse();
        assertThat(StepPolicy.due(deadline, Duration.ZERO, deadline)).isTrue();
        assertThat(StepPolicy.due(deadline, Duration.ofSeconds(30), deadline.plusSeconds(29))).isFalse();
        assertThat(StepPolicy.due(deadline, Duration.ofSeconds(30), deadline.plusSeconds(30))).isTrue();
        assertThat(StepPolicy.due(null, Duration.ZERO, deadline.plusSeconds(3600))).isFalse();
    }

    /** 5 % (0), analysis (1), 25 % (2), analysis (3), gate (4), 100 % (5), analysis (6). */
    private static final List<StepSpec> PLAN = List.of(StepSpec.setWeight(5), StepSpec.analysis(Duration.ofHours(1)),
            StepSpec.setWeight(25), StepSpec.analysis(Duration.ofHours(1)), StepSpec.pause(null),
            StepSpec.setWeight(100), StepSpec.analysis(Duration.ofHours(1)));

    static Stream<Arguments> stepBacks() {
        return Stream.of(
                arguments("a failure at 25 % steps back to 5 % (004 phase 2)", "stepBack", Trigger.AUTOMATIC, false,
                        3, 25, null, Optional.of(new StepPolicy.StepBack(2, 5))),
                arguments("a failure at the gate after 25 % steps back to 5 %", "stepBack", Trigger.AUTOMATIC, false,
                        4, 25, null, Optional.of(new StepPolicy.StepBack(2, 5))),
                arguments("a failure at 100 % steps back to 25 %", "stepBack", Trigger.AUTOMATIC, false, 6, 100, 2,
                        Optional.of(new StepPolicy.StepBack(5, 25))),
                arguments("a failure at the first weight rolls back (004 phase 1)", "stepBack", Trigger.AUTOMATIC,
                        false, 1, 5, null, Optional.empty()),
                arguments("a failure while 25 % is being set is still the 5 % phase: rolls back", "stepBack",
                        Trigger.AUTOMATIC, false, 2, 5, null, Optional.empty()),
                arguments("a second failure of a phase that stepped back rolls back", "stepBack", Trigger.AUTOMATIC,
                        false, 3, 25, 2, Optional.empty()),
                arguments("the default onFailure rolls back", null, Trigger.AUTOMATIC, false, 3, 25, null,
                        Optional.empty()),
                arguments("onFailure rollback rolls back", "rollback", Trigger.AUTOMATIC, false, 3, 25, null,
                        Optional.empty()),
                arguments("an operator's rollback is a rollback", "stepBack", Trigger.MANUAL, false, 3, 25, null,
                        Optional.empty()),
                arguments("a promoted rollout rolls back", "stepBack", Trigger.AUTOMATIC, true, 7, 100, null,
                        Optional.empty()),
                arguments("before any weight: nothing to step back to", "stepBack", Trigger.AUTOMATIC, false, 0, 0,
                        null, Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stepBacks")
    void aFailedPhaseStepsBackOnlyWhenTheStrategySaysSoAndOnlyOnce(String rule, String onFailure, Trigger trigger,
            boolean promoted, int currentStep, int currentWeight, Integer steppedBackPhase,
            Optional<StepPolicy.StepBack> expected) {
        assertThat(StepPolicy.stepBack(PLAN, onFailure, trigger, promoted, currentStep, currentWeight,
                steppedBackPhase)).isEqualTo(expected);
    }

    @Test
    void onlyStepsBeforeTheFirstSetWeightComeBeforeAnyTraffic() {
        List<StepSpec> plan = List.of(StepSpec.smoke(List.of(new dev.rollwatch.events.SmokeCheck("http://x/health",
                "GET", 200, null, null, 0))), StepSpec.setWeight(5), StepSpec.smoke(List.of(
                new dev.rollwatch.events.SmokeCheck("http://x/health", "GET", 200, null, null, 0))));
        assertThat(StepPolicy.beforeAnyTraffic(plan, 0)).isTrue();
        assertThat(StepPolicy.beforeAnyTraffic(plan, 2)).isFalse();
    }
}
