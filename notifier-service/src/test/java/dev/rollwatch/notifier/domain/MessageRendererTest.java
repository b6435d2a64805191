package dev.rollwatch.notifier.domain;

import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.Severity;
import org.junit.jupiter.api.Test;

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
}
