package dev.rollwatch.notifier.domain;

import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class FloodControlTest {

    static final Instant SENT = Instant.parse("2026-03-02T14:00:00Z");
    final FloodControl flood = new FloodControl(Duration.ofMinutes(5));

    @Test
    void breachesOfTheSameCheckAndSeverityAreTheSameAlert_anotherCheckOrSeverityIsNot() {
        String p2 = FloodControl.alertKey(TestEvents.breach(Severity.P2, "checkout", "production"));
        assertThat(p2).isEqualTo("threshold-breached/error-rate/P2");
        assertThat(FloodControl.alertKey(TestEvents.breach(Severity.P2, "checkout", "production"))).isEqualTo(p2);
        assertThat(FloodControl.alertKey(TestEvents.breach(Severity.P1, "checkout", "production"))).isNotEqualTo(p2);
    }

    @Test
    void outcomesAreDifferentAlerts() {
        assertThat(FloodControl.alertKey(TestEvents.rollbackCompleted(RollbackOutcome.FAILED)))
                .isEqualTo("rollback-completed/FAILED")
                .isNotEqualTo(FloodControl.alertKey(TestEvents.rollbackCompleted(RollbackOutcome.SUCCEEDED)));
        assertThat(FloodControl.alertKey(TestEvents.finished(DeploymentOutcome.ROLLED_BACK)))
                .isEqualTo("deployment-finished/ROLLED_BACK");
        assertThat(FloodControl.alertKey(TestEvents.started())).isEqualTo("deployment-started");
    }

    @Test
    void aRepeatWithinTheWindowOfTheSentDeliveryIsGrouped_theFirstAfterItIsSent() {
        assertThat(flood.groups(SENT, SENT)).isTrue();
        assertThat(flood.groups(SENT, SENT.plus(Duration.ofMinutes(5)).minusMillis(1))).isTrue();
        assertThat(flood.groups(SENT, SENT.plus(Duration.ofMinutes(5)))).isFalse();
        assertThat(flood.groups(SENT, SENT.plus(Duration.ofHours(1)))).isFalse();
    }

    @Test
    void aZeroWindowTurnsGroupingOff() {
        assertThat(new FloodControl(Duration.ZERO).groups(SENT, SENT)).isFalse();
    }

    @Test
    void theNextMessageSaysHowManyRepeatsWereGroupedBeforeItsLinks() {
        String text = "[P2] checkout: check error-rate breached\nRule: x\nDeployment: http://d/1\nAudit timeline: "
                + "http://a/1";
        assertThat(FloodControl.withLine(text, FloodControl.repeatsLine(0))).isEqualTo(text);
        assertThat(FloodControl.withLine(text, FloodControl.repeatsLine(3))).isEqualTo(
                "[P2] checkout: check error-rate breached\nRule: x\nRepeats: 3 earlier repeat(s) of this alert were "
                        + "grouped into the previous message\nDeployment: http://d/1\nAudit timeline: http://a/1");
        assertThat(FloodControl.withLine("no links", "Repeats: 1")).isEqualTo("no links\nRepeats: 1");
    }

    @Test
    void eachPhaseCheckpointGateAndVerificationIsItsOwnAlert_soNoneSwallowsTheNext() {
        assertThat(FloodControl.alertKey(TestEvents.step(dev.rollwatch.events.StepKind.SET_WEIGHT,
                dev.rollwatch.events.StepOutcome.SUCCEEDED, 25))).isEqualTo("step-completed/4/25");
        assertThat(FloodControl.alertKey(TestEvents.checkpoint(1, false)))
                .isEqualTo("bake-checkpoints/1/PT15M")
                .isNotEqualTo(FloodControl.alertKey(TestEvents.checkpoint(2, false)));
        assertThat(FloodControl.alertKey(TestEvents.approval())).isEqualTo("approval-requests/3");
        assertThat(FloodControl.alertKey(TestEvents.verified(dev.rollwatch.events.RollbackVerified.UNVERIFIED)))
                .isEqualTo("rollback-verifications/UNVERIFIED");
    }

    @Test
    void aConditionalDecisionIsNotGroupedIntoAnEarlierAlertDecision_norOneEscalationIntoAnother() {
        assertThat(FloodControl.alertKey(TestEvents.conditional(Severity.P1)))
                .isEqualTo("rollback-decisions/CONDITIONAL/error-rate/P1")
                .isNotEqualTo(FloodControl.alertKey(TestEvents.decision(
                        dev.rollwatch.events.RollbackDecided.ALERT, Severity.P1)));
        assertThat(FloodControl.alertKey(TestEvents.escalated(
                dev.rollwatch.events.RollbackEscalated.RULE_UNVERIFIED, Severity.P0)))
                .isEqualTo("rollback-escalated/rollback-unverified/P0")
                .isNotEqualTo(FloodControl.alertKey(TestEvents.escalated(
                        dev.rollwatch.events.RollbackEscalated.RULE_FAILED, Severity.P1)));
    }

    @Test
    void aP0IsNeverGrouped() {
        assertThat(FloodControl.groupable(Severity.P0)).isFalse();
        assertThat(FloodControl.groupable(Severity.P1)).isTrue();
        assertThat(FloodControl.groupable(null)).isTrue();
    }
}
