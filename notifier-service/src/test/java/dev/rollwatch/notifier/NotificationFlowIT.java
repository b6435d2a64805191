package dev.rollwatch.notifier;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.NotificationDelivered;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rollwatch.notifier.Alerts.awaitDeliveries;
import static dev.rollwatch.notifier.Alerts.awaitOutcome;
import static dev.rollwatch.notifier.Alerts.breach;
import static dev.rollwatch.notifier.Alerts.deliveries;
import static dev.rollwatch.notifier.Alerts.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** The walking skeleton over the real broker and database: events in, log deliveries and outcome events out. */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class NotificationFlowIT {

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void aBreachIsDeliveredOnTheLogChannelAndTheOutcomeIsPublishedKeyedByTheDeploymentAndCausedByTheBreach() {
        String deploymentId = UUID.randomUUID().toString();
        String service = unique("checkout");
        Envelope<ThresholdBreached> breach = breach(deploymentId, service, Severity.P1);
        kafka.send(breach);

        Envelope<NotificationDelivered> outcome = awaitOutcome(kafka, deploymentId, "log",
                NotificationDelivered.class);
        assertThat(outcome.key()).isEqualTo(deploymentId);
        assertThat(outcome.subject()).isEqualTo(deploymentId);
        assertThat(outcome.causationId()).isEqualTo(breach.id());
        assertThat(outcome.correlationId()).isEqualTo(deploymentId);
        assertThat(outcome.source()).isEqualTo("/rollwatch/notifier-service");
        assertThat(outcome.data()).usingRecursiveComparison().ignoringFields("deliveredAt")
                .isEqualTo(new NotificationDelivered("log", "log", breach.id(), "dev.rollwatch.threshold.breached.v1",
                        1, "DELIVERED", null));
        assertThat(outcome.data().deliveredAt()).isNotNull();

        JsonPath history = awaitDeliveries(breach.id(), 1);
        assertThat(history.getString("items[0].channel")).isEqualTo("log");
        assertThat(history.getString("items[0].status")).isEqualTo("DELIVERED");
        assertThat(history.getInt("items[0].attempts")).isEqualTo(1);
        assertThat(history.getString("items[0].deploymentId")).isEqualTo(deploymentId);
        // P1 goes to PagerDuty and Slack by the runbook; neither is configured, so the log stands in for both.
        assertThat(history.getList("items[0].fallbackFor", String.class)).containsExactly("pagerduty", "slack");
        assertThat(history.getList("items[0].routes", String.class)).containsExactly("p1-breach");
        assertThat(history.getString("items[0].message"))
                .startsWith("[P1] " + service + " production 2.4.0: check error-rate breached")
                .contains("Rule: error_rate > 0.01", "Measured: 0.0187, 0.0342, 2 failure(s)")
                .contains("Deployment: http://127.0.0.1:8081/api/v1/deployments/" + deploymentId)
                .contains("Audit timeline: http://127.0.0.1:8085/api/v1/audit/deployments/" + deploymentId
                        + "/timeline");
    }

    @Test
    void theSameEventDeliveredTwiceIsNotifiedOnce() {
        String deploymentId = UUID.randomUUID().toString();
        String service = unique("payments");
        Envelope<ThresholdBreached> breach = breach(deploymentId, service, Severity.P3);
        kafka.send(breach);
        kafka.send(breach); // a redelivery: same source and id
        Envelope<ThresholdBreached> marker = breach(deploymentId, service, Severity.P3);
        kafka.send(marker); // same key, same partition: once it is delivered, both copies were consumed

        awaitDeliveries(marker.id(), 1);
        assertThat(awaitDeliveries(breach.id(), 1).getInt("total")).isEqualTo(1);
        List<Envelope<EventData>> outcomes = kafka.eventsAbout(Topics.NOTIFICATION_OUTCOMES, deploymentId);
        assertThat(outcomes).filteredOn(e -> breach.id().equals(e.causationId())).hasSize(1);
    }

    @Test
    void aReplayedRecordIsNeverSentAgain() {
        String deploymentId = UUID.randomUUID().toString();
        String service = unique("search");
        Envelope<ThresholdBreached> replayed = breach(deploymentId, service, Severity.P1);
        Alerts.sendReplay(replayed);
        Envelope<ThresholdBreached> live = breach(deploymentId, service, Severity.P1);
        kafka.send(live); // consumed after the replayed record (same partition)

        awaitDeliveries(live.id(), 1);
        assertThat(deliveries("eventId", replayed.id()).getInt("total")).isZero();
        assertThat(kafka.eventsAbout(Topics.NOTIFICATION_OUTCOMES, deploymentId))
                .noneMatch(e -> replayed.id().equals(e.causationId()));
    }

    @ParameterizedTest
    @ValueSource(strings = {Topics.THRESHOLD_BREACHED, Topics.ROLLBACK_REQUESTED, Topics.ROLLBACK_COMPLETED,
            Topics.DEPLOYMENT_STARTED, Topics.DEPLOYMENT_FINISHED, Topics.ROLLBACK_ESCALATED,
            Topics.ROLLBACK_DECISIONS, Topics.STEP_COMPLETED, Topics.BAKE_CHECKPOINTS, Topics.APPROVAL_REQUESTS,
            Topics.ROLLBACK_VERIFICATIONS})
    void poisonGoesToTheTopicsDeadLetterTopicAndTheChannelKeepsConsuming(String topic) {
        String poisonKey = "poison-" + UUID.randomUUID();
        kafka.send(topic, poisonKey, "{not an event".getBytes(StandardCharsets.UTF_8));

        List<ConsumerRecord<String, byte[]>> dead = kafka.awaitRecords(Topics.dlq(topic),
                r -> poisonKey.equals(r.key()), Alerts.WAIT);
        ConsumerRecord<String, byte[]> record = dead.get(dead.size() - 1);
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{not an event");
        assertThat(KafkaTestClient.header(record, "dead-letter-reason")).contains("not a Rollwatch event");

        String deploymentId = UUID.randomUUID().toString();
        Envelope<? extends EventData> valid = Alerts.eventOn(topic, deploymentId, unique("billing"));
        kafka.send(valid);
        JsonPath history = awaitDeliveries(valid.id(), 1);
        assertThat(history.getString("items[0].status")).isEqualTo("DELIVERED");
        assertThat(history.getString("items[0].eventType")).isEqualTo(valid.type().type());
    }

    @Test
    void anEventOfAnotherTypeOnATopicIsPoisonToo() {
        String deploymentId = UUID.randomUUID().toString();
        Envelope<? extends EventData> started = Alerts.eventOn(Topics.DEPLOYMENT_STARTED, deploymentId,
                unique("cart"));
        kafka.send(Topics.THRESHOLD_BREACHED, deploymentId, EventCodec.encode(started));
        List<ConsumerRecord<String, byte[]>> dead = kafka.awaitRecords(Topics.dlq(Topics.THRESHOLD_BREACHED),
                r -> deploymentId.equals(r.key()), Alerts.WAIT);
        assertThat(KafkaTestClient.header(dead.get(dead.size() - 1), "dead-letter-reason"))
                .contains("not ThresholdBreached");
        assertThat(deliveries("eventId", started.id()).getInt("total")).isZero();
    }

    @Test
    void theHistoryFiltersByDeploymentAndChannelAndPages() {
        String deploymentId = UUID.randomUUID().toString();
        String service = unique("orders");
        List<Envelope<? extends EventData>> events = List.of(
                Alerts.eventOn(Topics.DEPLOYMENT_STARTED, deploymentId, service),
                breach(deploymentId, service, Severity.P2),
                Alerts.eventOn(Topics.DEPLOYMENT_FINISHED, deploymentId, service));
        events.forEach(kafka::send);
        events.forEach(e -> awaitDeliveries(e.id(), 1));

        JsonPath all = deliveries("deploymentId", deploymentId);
        assertThat(all.getInt("total")).isEqualTo(3);
        assertThat(all.getList("items.eventId", String.class))
                .containsExactlyInAnyOrderElementsOf(events.stream().map(Envelope::id).toList());

        JsonPath first = given().queryParams(Map.of("deploymentId", deploymentId, "channel", "log", "size", 2))
                .get("/api/v1/deliveries").then().statusCode(200).extract().jsonPath();
        JsonPath second = given().queryParams(Map.of("deploymentId", deploymentId, "channel", "log", "size", 2,
                "page", 1)).get("/api/v1/deliveries").then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("items")).hasSize(2);
        assertThat(second.getList("items")).hasSize(1);
        assertThat(first.getInt("total")).isEqualTo(3);
        assertThat(second.getList("items.id", String.class)).doesNotContainAnyElementsOf(
                first.getList("items.id", String.class));
        assertThat(given().queryParams(Map.of("deploymentId", deploymentId, "channel", "nope"))
                .get("/api/v1/deliveries").then().extract().jsonPath().getInt("total")).isZero();

        given().queryParam("size", 0).get("/api/v1/deliveries")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/validation"));
    }
}
