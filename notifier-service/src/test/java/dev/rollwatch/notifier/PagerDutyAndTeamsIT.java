package dev.rollwatch.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.NotificationDelivered;
import dev.rollwatch.events.Operator;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rollwatch.notifier.Alerts.awaitOutcome;
import static dev.rollwatch.notifier.Alerts.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** PagerDuty Events API v2 and Microsoft Teams against a real HTTP receiver, asserting the exact bodies. */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class PagerDutyAndTeamsIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ROUTING_KEY = "R0UT1NGKEY0123456789abcdefABCDEF";
    static final Instant OBSERVED_AT = Instant.parse("2026-03-02T14:01:02.250Z");

    private static KafkaTestClient kafka;
    private static Receiver receiver;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaTestClient.forTestBroker();
        receiver = new Receiver();
    }

    @AfterAll
    static void stop() {
        kafka.close();
        receiver.close();
    }

    /** Every event about {@code service} goes to {@code channel}. */
    static String routeEverythingTo(String channel) {
        String service = unique("svc");
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "all-" + channel, "service", service, "channels", List.of(channel)))
                .post("/api/v1/routes").then().statusCode(201);
        return service;
    }

    static Envelope<ThresholdBreached> breach(String deploymentId, String service, Severity severity) {
        return Envelope.of("/rollwatch/monitor-service", deploymentId, new ThresholdBreached(service, "production",
                "2.4.0", "error-rate", "error_rate", "rate(errors[30s])", List.of(0.0187, 0.0342), 0.01,
                Operator.GT, Duration.ofSeconds(30), severity, 2, 2, OBSERVED_AT, 2));
    }

    static String details() {
        return "Rule: error_rate > 0.01 (failure limit 2, window PT30S)\nMeasured: 0.0187, 0.0342, 2 failure(s), "
                + "at 2026-03-02T14:01:02.250Z\nQuery: rate(errors[30s])";
    }

    static String deploymentUrl(String deploymentId) {
        return "http://127.0.0.1:8081/api/v1/deployments/" + deploymentId;
    }

    static String timelineUrl(String deploymentId) {
        return "http://127.0.0.1:8085/api/v1/audit/deployments/" + deploymentId + "/timeline";
    }

    static JsonNode onlyBody(String path, int index) throws Exception {
        List<Receiver.Request> requests = receiver.requests(path);
        assertThat(requests).hasSizeGreaterThan(index);
        assertThat(requests.get(index).header("content-type")).isEqualTo("application/json");
        return JSON.readTree(requests.get(index).body());
    }

    @Test
    void aP1BreachTriggersAPageAndTheCompletedRollbackResolvesItWithTheSameDedupKey() throws Exception {
        String channel = unique("pd");
        String path = "/v2/enqueue/" + channel;
        given().contentType(ContentType.JSON)
                .body(Map.of("name", channel, "type", "pagerduty", "url", receiver.url(path), "secret", ROUTING_KEY))
                .post("/api/v1/channels").then().statusCode(201)
                .body("url", equalTo(receiver.url(path))).body("hasSecret", equalTo(true));
        String service = routeEverythingTo(channel);
        String deploymentId = UUID.randomUUID().toString();
        Envelope<ThresholdBreached> breach = breach(deploymentId, service, Severity.P1);
        kafka.send(breach);

        awaitOutcome(kafka, deploymentId, channel, NotificationDelivered.class);
        ObjectNode trigger = JSON.createObjectNode();
        trigger.put("routing_key", ROUTING_KEY).put("event_action", "trigger")
                .put("dedup_key", "rollwatch/" + deploymentId + "/health");
        ObjectNode payload = trigger.putObject("payload");
        payload.put("summary", "[P1] " + service + " production 2.4.0: check error-rate breached")
                .put("source", service + "/production").put("severity", "critical").put("component", service)
                .put("group", "production").put("class", "health");
        payload.putObject("custom_details").put("severity", "P1").put("details", details())
                .put("deployment_id", deploymentId).put("event_id", breach.id())
                .put("event_type", "dev.rollwatch.threshold.breached.v1");
        trigger.put("client", "Rollwatch").put("client_url", deploymentUrl(deploymentId));
        trigger.putArray("links")
                .add(JSON.createObjectNode().put("href", deploymentUrl(deploymentId)).put("text", "Deployment"))
                .add(JSON.createObjectNode().put("href", timelineUrl(deploymentId)).put("text", "Audit timeline"));
        assertThat(onlyBody(path, 0)).isEqualTo(trigger);

        Envelope<RollbackCompleted> rolledBack = Envelope.of("/rollwatch/deploy-service", deploymentId,
                new RollbackCompleted(service, "production", RollbackOutcome.SUCCEEDED, "2.3.0", 800, 950L, null));
        kafka.send(rolledBack);
        org.awaitility.Awaitility.await().atMost(Alerts.WAIT).until(() -> receiver.requests(path).size() == 2);
        ObjectNode resolve = JSON.createObjectNode();
        resolve.put("routing_key", ROUTING_KEY).put("event_action", "resolve")
                .put("dedup_key", "rollwatch/" + deploymentId + "/health");
        assertThat(onlyBody(path, 1)).isEqualTo(resolve);
        assertThat(Alerts.awaitDeliveries(rolledBack.id(), 2).getList("items.status", String.class))
                .containsOnly("DELIVERED");

        String view = given().get("/api/v1/channels/" + channel).then().statusCode(200).extract().asString();
        assertThat(view).doesNotContain(ROUTING_KEY);
    }

    @Test
    void aPagerDutyChannelWithoutAUrlUsesTheEventsApiEndpoint() {
        String channel = unique("pd");
        given().contentType(ContentType.JSON)
                .body(Map.of("name", channel, "type", "pagerduty", "secret", ROUTING_KEY))
                .post("/api/v1/channels").then().statusCode(201)
                .body("url", equalTo("https://events.pagerduty.com/v2/enqueue"));
        given().delete("/api/v1/channels/" + channel).then().statusCode(204);
    }

    @Test
    void teamsGetsAnAdaptiveCardAndItsSignedUrlIsNeverShownInFull() throws Exception {
        String channel = unique("teams");
        String path = "/workflows/" + channel + "/triggers/manual/paths/invoke";
        given().contentType(ContentType.JSON)
                .body(Map.of("name", channel, "type", "teams", "url", receiver.url(path) + "?api-version=1&sig=s3cr3t"))
                .post("/api/v1/channels").then().statusCode(201)
                .body("url", equalTo(receiver.url("/…"))).body("hasSecret", equalTo(false));
        String service = routeEverythingTo(channel);
        String deploymentId = UUID.randomUUID().toString();
        Envelope<ThresholdBreached> breach = breach(deploymentId, service, Severity.P2);
        kafka.send(breach);

        awaitOutcome(kafka, deploymentId, channel, NotificationDelivered.class);
        assertThat(receiver.requests(path)).hasSize(1);
        JsonNode expected = JSON.readTree(("""
                {'type': 'message', 'attachments': [{
                  'contentType': 'application/vnd.microsoft.card.adaptive', 'contentUrl': null,
                  'content': {'$schema': 'http://adaptivecards.io/schemas/adaptive-card.json',
                    'type': 'AdaptiveCard', 'version': '1.4',
                    'body': [
                      {'type': 'TextBlock', 'text': '[P2] SERVICE production 2.4.0: check error-rate breached',
                       'size': 'Medium', 'weight': 'Bolder', 'color': 'Warning', 'wrap': true},
                      {'type': 'FactSet', 'facts': [{'title': 'Service', 'value': 'SERVICE'},
                        {'title': 'Environment', 'value': 'production'}, {'title': 'Severity', 'value': 'P2'},
                        {'title': 'Deployment', 'value': 'DEPLOYMENT'}, {'title': 'Event', 'value': 'EVENT'}]},
                      {'type': 'TextBlock', 'text': 'DETAILS', 'wrap': true}],
                    'actions': [{'type': 'Action.OpenUrl', 'title': 'Deployment', 'url': 'DEPLOYMENT_URL'},
                      {'type': 'Action.OpenUrl', 'title': 'Audit timeline', 'url': 'TIMELINE_URL'}]}}]}""")
                .replace('\'', '"').replace("SERVICE", service).replace("DEPLOYMENT_URL", deploymentUrl(deploymentId))
                .replace("TIMELINE_URL", timelineUrl(deploymentId)).replace("DEPLOYMENT", deploymentId)
                .replace("EVENT", breach.id()).replace("DETAILS", details().replace("\n", "\\n\\n")));
        assertThat(onlyBody(path, 0)).isEqualTo(expected);
    }
}
