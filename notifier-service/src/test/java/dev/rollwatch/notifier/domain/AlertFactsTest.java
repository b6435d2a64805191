package dev.rollwatch.notifier.domain;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackDecided;
import dev.rollwatch.events.Severity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AlertFactsTest {

    static Envelope<RollbackDecided> decided(String action) {
        return Envelope.of("/rollwatch/rollback-service", TestEvents.DEPLOYMENT, new RollbackDecided("checkout",
                "production", "d-1", action, "p2-persistent", "error-rate breached 3 times", Severity.P2,
                "error-rate", 7L, 3, "b-1", null));
    }

    @Test
    void aDecisionThatNeedsAPersonNowIsP1_anAlertP2_aNoticeP3_andAttachedOrIgnoredNothing() {
        assertThat(AlertFacts.of(decided(RollbackDecided.APPROVAL_REQUIRED)).severity()).isEqualTo(Severity.P1);
        assertThat(AlertFacts.of(decided(RollbackDecided.HOLD)).severity()).isEqualTo(Severity.P1);
        assertThat(AlertFacts.of(decided(RollbackDecided.ALERT)).severity()).isEqualTo(Severity.P2);
        assertThat(AlertFacts.of(decided(RollbackDecided.NOTIFY)).severity()).isEqualTo(Severity.P3);
        assertThat(AlertFacts.of(decided(RollbackDecided.ATTACHED)).severity()).isNull();
        assertThat(AlertFacts.of(decided(RollbackDecided.IGNORED)).severity()).isNull();
        assertThat(AlertFacts.of(decided(RollbackDecided.HOLD)).kind()).isEqualTo(AlertKind.ROLLBACK_DECIDED);
    }

    @Test
    void aDecisionIsRenderedWithItsActionRuleAndReason() {
        Notification n = new MessageRenderer("http://d", "http://a").render(decided(RollbackDecided.HOLD),
                TestEvents.DEPLOYMENT);
        assertThat(n.title()).isEqualTo("Rollback decision HOLD: checkout production, check error-rate (P2)");
        assertThat(n.text()).contains("Rule: p2-persistent\nReason: error-rate breached 3 times\nPolicy: 7 v3\n"
                + "Decision: d-1\nBreach: b-1\nDeployment: http://d/api/v1/deployments/" + TestEvents.DEPLOYMENT);
    }

    @Test
    void aConditionalDecisionPagesAtP1_orP0WhenItIsAboutAP0() {
        assertThat(AlertFacts.of(TestEvents.conditional(Severity.P1)).severity()).isEqualTo(Severity.P1);
        assertThat(AlertFacts.of(TestEvents.conditional(Severity.P2)).severity()).isEqualTo(Severity.P1);
        assertThat(AlertFacts.of(TestEvents.conditional(Severity.P0)).severity()).isEqualTo(Severity.P0);
        assertThat(AlertFacts.of(TestEvents.decision(RollbackDecided.HOLD, Severity.P0)).severity())
                .isEqualTo(Severity.P0);
        assertThat(AlertFacts.of(TestEvents.decision(RollbackDecided.ALERT, Severity.P0)).severity())
                .isEqualTo(Severity.P2);
    }

    @Test
    void theNewMomentsHaveTheirSeverities() {
        assertThat(AlertFacts.of(TestEvents.unavailable(null)).severity()).isEqualTo(Severity.P0);
        assertThat(AlertFacts.of(TestEvents.requested(Severity.P0)).severity()).isEqualTo(Severity.P0);
        assertThat(AlertFacts.of(TestEvents.rollbackCompleted(dev.rollwatch.events.RollbackOutcome.UNVERIFIED,
                null, "503")).severity()).isEqualTo(Severity.P0);
        assertThat(AlertFacts.of(TestEvents.rollbackCompleted(dev.rollwatch.events.RollbackOutcome.STEPPED_BACK,
                5, null)).severity()).isNull();
        assertThat(AlertFacts.of(TestEvents.verified(dev.rollwatch.events.RollbackVerified.UNVERIFIED)).severity())
                .isEqualTo(Severity.P0);
        assertThat(AlertFacts.of(TestEvents.verified(dev.rollwatch.events.RollbackVerified.VERIFIED)).severity())
                .isEqualTo(Severity.P3);
        assertThat(AlertFacts.of(TestEvents.checkpoint(1, false)).severity()).isNull();
        assertThat(AlertFacts.of(TestEvents.approval()).severity()).isNull();
        AlertFacts phase = AlertFacts.of(TestEvents.step(dev.rollwatch.events.StepKind.SET_WEIGHT,
                dev.rollwatch.events.StepOutcome.SUCCEEDED, 25), TestEvents.CONTEXT);
        assertThat(phase).isEqualTo(new AlertFacts(AlertKind.STEP_COMPLETED, null, "checkout", "production"));
    }

    @Test
    void onlyASetWeightStepThatSucceededIsAPhaseReached() {
        assertThat(AlertFacts.notifiable(TestEvents.step(dev.rollwatch.events.StepKind.SET_WEIGHT,
                dev.rollwatch.events.StepOutcome.SUCCEEDED, 25))).isTrue();
        assertThat(AlertFacts.notifiable(TestEvents.step(dev.rollwatch.events.StepKind.SET_WEIGHT,
                dev.rollwatch.events.StepOutcome.FAILED, 5))).isFalse();
        assertThat(AlertFacts.notifiable(TestEvents.step(dev.rollwatch.events.StepKind.ANALYSIS,
                dev.rollwatch.events.StepOutcome.SUCCEEDED, 25))).isFalse();
        assertThat(AlertFacts.notifiable(TestEvents.step(dev.rollwatch.events.StepKind.PAUSE,
                dev.rollwatch.events.StepOutcome.SUCCEEDED, 25))).isFalse();
        assertThat(AlertFacts.notifiable(TestEvents.approval())).isTrue();
        assertThat(AlertFacts.notifiable(TestEvents.started())).isTrue();
    }
}
