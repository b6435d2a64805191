package dev.rollwatch.deploy.service;

import dev.rollwatch.events.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.rollwatch.deploy.service.StepPolicy.Decision.ADVANCE;
import static dev.rollwatch.deploy.service.StepPolicy.Decision.AWAIT_APPROVAL;
import static dev.rollwatch.deploy.service.StepPolicy.Decision.HALT;
import static org.assertj.core.api.Assertions.assertThat;

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
}
