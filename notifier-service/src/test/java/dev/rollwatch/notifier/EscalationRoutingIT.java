package dev.rollwatch.notifier;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.RollbackDecided;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static dev.rollwatch.notifier.Alerts.awaitDeliveries;
import static dev.rollwatch.notifier.Alerts.deliveries;
import static dev.rollwatch.notifier.Alerts.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runbook routes for escalations and rollback decisions, over the real broker. No pagerduty or slack channel
 * is configured here, so the log delivery's {@code fallbackFor} shows which channels the route chose.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class EscalationRoutingIT {

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    static JsonPath routed(Envelope<? extends EventData> event) {
        kafka.send(event);
        JsonPath history = awaitDeliveries(event.id(), 1);
        assertThat(history.getString("items[0].channel")).isEqualTo("log");
        assertThat(history.getString("items[0].status")).isEqualTo("DELIVERED");
        return history;
    }

    @Test
    void anEscalatedRollbackIsAP1PageToPagerDutyAndSlack() {
        String deploymentId = UUID.randomUUID().toString();
        String service = unique("esc");
        JsonPath history = routed(Alerts.escalated(deploymentId, service));
        assertThat(history.getList("items[0].fallbackFor", String.class)).containsExactly("pagerduty", "slack");
        assertThat(history.getList("items[0].routes", String.class)).containsExactly("rollback-escalated");
        assertThat(history.getString("items[0].severity")).isEqualTo("P1");
        assertThat(history.getString("items[0].message"))
                .startsWith("[P1] Rollback escalated: " + service + " production -> 2.3.0")
                .contains("Rule: rollback-deadline-exceeded", "Detail: no RollbackCompleted within 120 s",
                        "/api/v1/deployments/" + deploymentId);
    }

    @Test
    void approvalRequiredAndHoldPageTheOnCall_anAlertGoesToSlack() {
        String service = unique("dec");
        for (String action : new String[] {RollbackDecided.APPROVAL_REQUIRED, RollbackDecided.HOLD}) {
            JsonPath history = routed(Alerts.decided(UUID.randomUUID().toString(), service, action));
            assertThat(history.getList("items[0].fallbackFor", String.class)).as(action)
                    .containsExactly("pagerduty", "slack");
            assertThat(history.getList("items[0].routes", String.class)).containsExactly("decision-page");
            assertThat(history.getString("items[0].message")).contains("Rollback decision " + action + ": " + service);
        }
        JsonPath alert = routed(Alerts.decided(UUID.randomUUID().toString(), service, RollbackDecided.ALERT));
        assertThat(alert.getList("items[0].fallbackFor", String.class)).containsExactly("slack");
        assertThat(alert.getList("items[0].routes", String.class)).containsExactly("decision-alert");
    }

    @Test
    void aBreachThatJoinedARunningRollbackTellsNobodyAgain() {
        String deploymentId = UUID.randomUUID().toString();
        String service = unique("att");
        Envelope<RollbackDecided> attached = Alerts.decided(deploymentId, service, RollbackDecided.ATTACHED);
        kafka.send(attached);
        Envelope<RollbackDecided> marker = Alerts.decided(deploymentId, service, RollbackDecided.ALERT);
        routed(marker); // same key, same partition: once it is delivered, the ATTACHED one was consumed
        assertThat(deliveries("eventId", attached.id()).getInt("total")).isZero();
    }
}
