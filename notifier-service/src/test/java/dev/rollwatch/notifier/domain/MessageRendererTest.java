package dev.rollwatch.notifier.domain;

import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.RollbackEscalated;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackVerified;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepOutcome;
import dev.rollwatch.events.ThresholdBreached;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class MessageRendererTest {

    final MessageRenderer renderer = new MessageRenderer("http://127.0.0.1:8081/", "https://audit.example.com");

    @Test
    void aBreachSaysWhereWhatRuleFiredWithWhichValuesAndLinksTheDeploymentAndTimeline() {
        Notification n = renderer.render(TestEvents.breach(Severity.P1, "checkout", "production"),
                TestEvents.DEPLOYMENT);
        assertThat(n.title()).isEqualTo("[P1] checkout production 2.4.0: check error-rate breached");
        assertThat(n.text()).contains("Rule: error_rate > 0.01 (failure limit 2, window PT30S)")
                .contains("Measured: 0.0187, 0.0342, 2 failure(s), at 2026-03-02T14:01:02.250Z")
                .contains("Deployment: http://127.0.0.1:8081/api/v1/deployments/" + TestEvents.DEPLOYMENT)
                .contains("Audit timeline: https://audit.example.com/api/v1/audit/deployments/"
                        + TestEvents.DEPLOYMENT + "/timeline");
        assertThat(n.deploymentUrl()).isEqualTo("http://127.0.0.1:8081/api/v1/deployments/" + TestEvents.DEPLOYMENT);
    }

    @Test
    void deploymentMessagesCarryBothVersions() {
        assertThat(renderer.render(TestEvents.started(), TestEvents.DEPLOYMENT).title())
                .isEqualTo("Deployment started: checkout production 2.3.0 -> 2.4.0");
        Notification finished = renderer.render(TestEvents.finished(DeploymentOutcome.ROLLED_BACK),
                TestEvents.DEPLOYMENT);
        assertThat(finished.title()).isEqualTo("Deployment ROLLED_BACK: checkout production 2.4.0");
        assertThat(finished.text()).contains("Active version 2.3.0").contains("Reason: error rate 3.4% > 1%");
    }

    @Test
    void aRollbackSaysHowLongDetectionToRollbackTook() {
        Notification n = renderer.render(TestEvents.rollbackCompleted(RollbackOutcome.FAILED), TestEvents.DEPLOYMENT);
        assertThat(n.title()).isEqualTo("Rollback FAILED: checkout production -> 2.3.0");
        assertThat(n.text()).contains("Rollback took 1200 ms, detection to rollback 1450 ms");
    }

    final MessageRenderer withRollback = new MessageRenderer("http://deploy", "http://audit", "http://rollback/");
    static final String D = TestEvents.DEPLOYMENT;

    @Test
    void aTargetThatIsDownSaysSoWithTheOutageWindowAndTheP0ResponseTarget() {
        Notification n = withRollback.render(TestEvents.unavailable(null), D);
        assertThat(n.title()).isEqualTo("[P0] checkout production 2.4.0: DOWN, check error-rate could not measure "
                + "for the outage window");
        assertThat(n.text()).contains("Rule: target unavailable: no measurement of error_rate for 300 s (the outage "
                        + "window)", "Unmeasurable for: 300 s, 60 failed measurement(s), at 2026-03-02T14:06:00Z",
                "Respond within 5 min (P0), by 14:11 UTC");
    }

    @Test
    void aBreachInTheBakeWindowSaysItCameAfterSuccess() {
        assertThat(withRollback.render(TestEvents.unavailable(ThresholdBreached.PHASE_BAKE), D).title())
                .endsWith("(bake window, after SUCCEEDED)");
    }

    @Test
    void onlyAP0BreachCarriesItsResponseTarget_aP1OnesComesWithItsDecision() {
        assertThat(renderer.render(TestEvents.breach(Severity.P1, "checkout", "production"), D).text())
                .doesNotContain("Respond");
        assertThat(renderer.render(TestEvents.breach(Severity.P3, "checkout", "production"), D).text())
                .doesNotContain("Respond");
    }

    @Test
    void aConditionalDecisionSaysWhoDecidesByWhenWhatHappensOtherwiseAndHow() {
        Notification n = withRollback.render(TestEvents.conditional(Severity.P1), D);
        assertThat(n.title()).isEqualTo("[P1] Decision needed by 14:32 UTC: roll back checkout production? "
                + "(check error-rate)");
        assertThat(n.text()).contains(
                "Who decides: operator",
                "Decide by: 14:32 UTC (2026-03-02T14:32:00Z)",
                "If nobody decides by then: ROLLBACK happens automatically",
                "Respond within 15 min (P1), by 14:32 UTC",
                "Why: error rate 2.1% > 1% after 1 h",
                "Rule: error-rate-1-5-after-1h (P1)",
                "Policy pack: runbook@1, runbook rule: 001 conditional: error rate 1-5 % after 1 hour",
                "rollwatch decide dec-7 rollback --reason",
                "rollwatch decide dec-7 hold --reason",
                "POST http://rollback/api/v1/decisions/dec-7/resolve {\"action\": \"ROLLBACK\" | \"HOLD\"",
                "rollwatch ack dec-7 (POST http://rollback/api/v1/decisions/dec-7/acknowledge)",
                "Deployment: http://deploy/api/v1/deployments/" + D);
    }

    @Test
    void aConditionalDecisionAboutAP0IsTitledP0() {
        assertThat(withRollback.render(TestEvents.conditional(Severity.P0), D).title()).startsWith("[P0] Decision "
                + "needed by");
    }

    @Test
    void aRollbackRequestNamesItsSeverityResponseTargetAndRunbookRule() {
        Notification n = withRollback.render(TestEvents.requested(Severity.P0), D);
        assertThat(n.title()).isEqualTo("[P0] Rollback requested: checkout production 2.4.0 -> 2.3.0");
        assertThat(n.text()).contains("Roll back within 5 min (P0), by 14:11 UTC",
                "Policy pack: runbook@1, runbook rule: 002 P0: application down, immediate rollback");
    }

    @Test
    void anUnansweredDecisionSaysWhichDecisionAndItsMissedTarget() {
        Notification n = withRollback.render(TestEvents.escalated(RollbackEscalated.RULE_UNANSWERED, Severity.P1),
                D);
        assertThat(n.title()).isEqualTo("[P1] Decision unanswered: checkout production");
        assertThat(n.text()).contains("Nobody acted on or acknowledged decision dec-7 within its response target "
                + "(15 min, P1): due 14:32 UTC, escalated at 14:32 UTC", "rollwatch ack dec-7");
    }

    @Test
    void anUnverifiedRollbackEscalationIsAP0WithItsResponseTarget() {
        Notification n = withRollback.render(TestEvents.escalated(RollbackEscalated.RULE_UNVERIFIED, Severity.P0),
                D);
        assertThat(n.title()).startsWith("[P0] Rollback escalated: checkout production -> 2.3.0");
        assertThat(n.text()).contains("Rule: rollback-unverified", "the incident is still on",
                "Respond within 5 min (P0), by 14:37 UTC");
    }

    @Test
    void aRollbackWhoseHealthProbeFailedIsAP0AndSaysWhatTheProbeSaid() {
        Notification n = withRollback.render(TestEvents.rollbackCompleted(RollbackOutcome.UNVERIFIED, null,
                "503 Service Unavailable"), D);
        assertThat(n.title()).isEqualTo("[P0] Rollback UNVERIFIED: checkout production -> 2.3.0 is not healthy");
        assertThat(n.text()).contains("Health: 503 Service Unavailable", "the incident is still on",
                "Respond within 5 min (P0)");
    }

    @Test
    void aStepBackSaysTheWeightItWentBackTo() {
        Notification n = withRollback.render(TestEvents.rollbackCompleted(RollbackOutcome.STEPPED_BACK, 5, null), D);
        assertThat(n.title()).isEqualTo("Rollback STEPPED_BACK: checkout production back to 5 %");
        assertThat(n.text()).contains("stepped back to the previous phase's weight (5 %)");
    }

    @Test
    void aVerificationSaysWhatWasWatchedWithTheFigures() {
        Notification ok = withRollback.render(TestEvents.verified(RollbackVerified.VERIFIED), D);
        assertThat(ok.title()).isEqualTo("Rollback verified: checkout production 2.3.0 healthy for 30 min");
        assertThat(ok.text()).contains("Watched 2.3.0 for 30 min from 14:07 UTC, decided at 14:37 UTC",
                "- error-rate (error_rate): SUCCESSFUL, last 0.002 (min 0.001, max 0.004), 180 measurement(s), "
                        + "0 failure(s)");
        Notification bad = withRollback.render(TestEvents.verified(RollbackVerified.UNVERIFIED), D);
        assertThat(bad.title()).isEqualTo("[P0] Rollback UNVERIFIED: checkout production 2.3.0 is not healthy after "
                + "the rollback");
        assertThat(bad.text()).contains("Check: error-rate", "Detail: error rate 4.2% > 1% on the restored version",
                "- error-rate (error_rate): FAILED, last 0.042 (min 0.03, max 0.05), 60 measurement(s), 12 failure(s): "
                        + "4.2% > 1%", "Respond within 5 min (P0), by 14:17 UTC");
    }

    @Test
    void aBakeCheckpointSaysWhichOfHowManyAfterHowLongWithTheFigures() {
        Notification first = withRollback.render(TestEvents.checkpoint(1, false), D);
        assertThat(first.title()).isEqualTo("Bake checkpoint 1/3 (15 min): checkout production 2.4.0 SUCCESSFUL");
        assertThat(first.text()).contains("Bake window 1 h since SUCCEEDED at 14:00 UTC, verdict so far SUCCESSFUL",
                "- error-rate (error_rate): SUCCESSFUL").doesNotContain("Last checkpoint");
        Notification last = withRollback.render(TestEvents.checkpoint(3, true), D);
        assertThat(last.title()).startsWith("Bake checkpoint 3/3 (1 h)");
        assertThat(last.text()).contains("Last checkpoint: the bake window is over, the watch ends");
    }

    @Test
    void aGateWaitingSaysWhoCanDecideWhyAndHow() {
        Notification n = withRollback.render(TestEvents.approval(), D);
        assertThat(n.title()).isEqualTo("Gate waiting: checkout production 2.4.0 waits for operator (step 4)");
        assertThat(n.text()).contains("Why: go/no-go gate after the canary", "Who can decide: operator",
                "Waiting since: 14:20 UTC",
                "Go: rollwatch approve " + D + " --reason \"...\" (POST http://deploy/api/v1/deployments/" + D
                        + "/approve)",
                "No-go: rollwatch abort " + D, "rollwatch promote " + D);
    }

    @Test
    void aPhaseReachedNamesTheDeploymentAndTheWeight() {
        Notification n = withRollback.render(TestEvents.step(StepKind.SET_WEIGHT, StepOutcome.SUCCEEDED, 25), D,
                TestEvents.CONTEXT);
        assertThat(n.title()).isEqualTo("Phase reached: checkout production 2.4.0 at 25 %");
        assertThat(n.text()).contains("Step 5 of 9 (set weight) completed in 850 ms",
                "2.4.0 takes 25 % of the traffic, 2.3.0 75 %");
        assertThat(withRollback.render(TestEvents.step(StepKind.SET_WEIGHT, StepOutcome.SUCCEEDED, 5), D, null)
                .title()).isEqualTo("Phase reached: deployment " + D + " at 5 %");
    }

    @Test
    void theFinalSummaryShowsTargetVersusActualAndLinksTheReport() {
        Notification n = withRollback.render(TestEvents.finished(DeploymentOutcome.ROLLED_BACK), D);
        assertThat(n.text()).contains("Summary: steps 2 of 4 (target all: not met), weight 0 % of 100 % (target: "
                        + "not met), total duration 1 min 1 s (target < 1 h: met)",
                "Report (every figure, target vs actual): http://deploy/api/v1/deployments/" + D + "/report");
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(MessageText.duration(Duration.ofSeconds(45))).isEqualTo("45 s");
        assertThat(MessageText.duration(Duration.ofMinutes(15))).isEqualTo("15 min");
        assertThat(MessageText.duration(Duration.ofMinutes(90))).isEqualTo("1 h 30 min");
        assertThat(MessageText.duration(Duration.ofDays(2))).isEqualTo("2 d");
        assertThat(MessageText.respond("Respond", Severity.P2, Instant.parse("2026-03-02T14:47:30Z")))
                .isEqualTo("Respond within 30 min (P2), by 14:47 UTC");
        assertThat(MessageText.respond("Respond", Severity.P3, null)).isNull();
    }
}
