package dev.rollwatch.deploy;

import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.Topics;
import dev.rollwatch.events.Trigger;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class DeploymentLifecycleIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    static String body(String service, String version) {
        return """
                {"service": "%s", "environment": "production", "version": "%s", "previousVersion": "2.3.0",
                 "target": {"type": "http", "url": "%s"},
                 "strategy": {"steps": [{"setWeight": 5}, {"analysis": {"duration": "2m"}}, {"pause": {}},
                                        {"setWeight": 100}]},
                 "analysis": {"checks": [{"name": "error-rate", "metric": "error_rate", "max": 0.01,
                                          "interval": "5s", "failureLimit": 1, "severity": "P1"}]}}""".formatted(service, version, TargetStub.shared().url());
    }

    static String start(String service) {
        return given().header("Authorization", Rollouts.as("alice")).contentType(ContentType.JSON)
                .body(body(service, "2.4.0"))
                .when().post("/api/v1/deployments")
                .then().statusCode(202).body("status", equalTo("RUNNING"))
                .extract().path("id");
    }

    @Test
    void startingADeploymentPublishesDeploymentStartedKeyedByItsId() {
        String id = start("checkout-" + UUID.randomUUID().toString().substring(0, 8));

        Envelope<DeploymentStarted> event = kafka.awaitEvent(Topics.DEPLOYMENT_STARTED, id, DeploymentStarted.class,
                WAIT);
        assertThat(event.subject()).isEqualTo(id);
        assertThat(event.key()).isEqualTo(id);
        assertThat(event.source()).isEqualTo("/rollwatch/deploy-service");
        assertThat(event.data().version()).isEqualTo("2.4.0");
        assertThat(event.data().previousVersion()).isEqualTo("2.3.0");
        assertThat(event.data().requestedBy()).isEqualTo("alice");
        assertThat(event.data().target().metricsUrl()).isEqualTo(TargetStub.shared().url() + "/metrics");
        assertThat(event.data().steps()).extracting(s -> s.kind())
                .containsExactly(StepKind.SET_WEIGHT, StepKind.ANALYSIS, StepKind.PAUSE, StepKind.SET_WEIGHT);
        assertThat(event.data().steps().get(1).duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(event.data().analysis().checks()).singleElement()
                .satisfies(c -> assertThat(c.max()).isEqualTo(0.01));

        given().when().get("/api/v1/deployments/" + id)
                .then().statusCode(200).body("status", equalTo("RUNNING")).body("version", equalTo("2.4.0"));
    }

    @Test
    void aSecondStartForTheSameServiceAndEnvironmentIsRefusedAndNamesTheRunningOne() {
        String service = "payments-" + UUID.randomUUID().toString().substring(0, 8);
        String first = start(service);

        given().contentType(ContentType.JSON).body(body(service, "2.5.0"))
                .when().post("/api/v1/deployments")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/deployment-in-progress"))
                .body("runningDeploymentId", equalTo(first));
    }

    @Test
    void aRetriedPostWithTheSameIdempotencyKeyReturnsTheFirstDeployment() {
        String service = "search-" + UUID.randomUUID().toString().substring(0, 8);
        String key = UUID.randomUUID().toString();
        String first = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body(service, "1.0"))
                .when().post("/api/v1/deployments").then().statusCode(202).extract().path("id");
        String again = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body(service, "1.0"))
                .when().post("/api/v1/deployments").then().statusCode(200).extract().path("id");
        assertThat(again).isEqualTo(first);
        assertThat(kafka.eventsAbout(Topics.DEPLOYMENT_STARTED, first)).hasSize(1);
    }

    @Test
    void invalidBodiesGetProblemDetailsAndStartNothing() {
        String service = "cart-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON)
                .body("{\"service\": \"" + service + "\", \"environment\": \"production\", \"version\": \"\"}")
                .when().post("/api/v1/deployments")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/validation"))
                .body("errors.field", org.hamcrest.Matchers.hasItems("version"));
        // A target may be left out only for a registered one (issue 17, 1): none here.
        given().contentType(ContentType.JSON)
                .body("{\"service\": \"" + service + "\", \"environment\": \"production\", \"version\": \"1.0\"}")
                .when().post("/api/v1/deployments")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/target-not-registered"));
        given().contentType(ContentType.JSON).body("{\"service\": ")
                .when().post("/api/v1/deployments")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/malformed-body"));
        given().contentType(ContentType.JSON)
                .body(body(service, "1.0").replace("{\"setWeight\": 5}", "{\"setWeight\": 5, \"pause\": {}}"))
                .when().post("/api/v1/deployments")
                .then().statusCode(400).body("detail", startsWith("strategy.steps[0] must have exactly one"));
        given().contentType(ContentType.JSON)
                .body(body(service, "1.0").replace("\"2m\"", "\"two minutes\""))
                .when().post("/api/v1/deployments")
                .then().statusCode(400).body("type", equalTo("https://rollwatch.dev/problems/invalid-duration"));

        // Nothing was half-written: the service and environment are still free.
        start(service);
    }

    @Test
    void unknownDeploymentIs404Problem() {
        given().when().get("/api/v1/deployments/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aRollbackRequestIsExecutedOnceEvenWhenDelivered_twice() {
        String id = start("orders-" + UUID.randomUUID().toString().substring(0, 8));
        Instant detected = Instant.now().minusMillis(40);
        Envelope<RollbackRequested> request = Envelope.of("/rollwatch/rollback-service", id,
                new RollbackRequested("orders", "production", Trigger.AUTOMATIC, "error rate 8% > 1%",
                        List.of(UUID.randomUUID().toString()), "p1-immediate", 1, "2.4.0", "2.3.0", "rollback-service",
                        detected));
        kafka.send(request);
        kafka.send(request); // redelivery: same source and id

        Envelope<RollbackCompleted> completed = kafka.awaitEvent(Topics.ROLLBACK_COMPLETED, id,
                RollbackCompleted.class, WAIT);
        assertThat(completed.causationId()).isEqualTo(request.id());
        assertThat(completed.data().outcome()).isEqualTo(RollbackOutcome.SUCCEEDED);
        assertThat(completed.data().toVersion()).isEqualTo("2.3.0");
        assertThat(completed.data().detectionToRollbackMs()).isGreaterThanOrEqualTo(40L);

        Envelope<DeploymentFinished> finished = kafka.awaitEvent(Topics.DEPLOYMENT_FINISHED, id,
                DeploymentFinished.class, WAIT);
        assertThat(finished.data().outcome()).isEqualTo(DeploymentOutcome.ROLLED_BACK);
        assertThat(finished.causationId()).isEqualTo(completed.id());
        given().when().get("/api/v1/deployments/" + id).then().body("status", equalTo("ROLLED_BACK"));

        assertThat(kafka.eventsAbout(Topics.ROLLBACK_COMPLETED, id)).hasSize(1);
        // The target really was told, once, to go back to the previous version.
        assertThat(TargetStub.shared().callsFor(id, "rollback")).singleElement()
                .satisfies(call -> assertThat(call.field("toVersion")).isEqualTo("2.3.0"));
        assertThat(TargetStub.shared().state(((String) given().when().get("/api/v1/deployments/" + id)
                .then().extract().path("service")))).containsEntry("weight", 0).containsEntry("stableVersion", "2.3.0");
    }

    @Test
    void poisonGoesToTheDeadLetterTopicWithTheReasonAndConsumptionGoesOn() {
        String poisonKey = "poison-" + UUID.randomUUID();
        kafka.send(Topics.ROLLBACK_REQUESTED, poisonKey, "{not an event".getBytes(StandardCharsets.UTF_8));

        List<ConsumerRecord<String, byte[]>> dead = kafka.awaitRecords(Topics.dlq(Topics.ROLLBACK_REQUESTED),
                r -> poisonKey.equals(r.key()), WAIT);
        ConsumerRecord<String, byte[]> record = dead.get(dead.size() - 1);
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{not an event");
        assertThat(KafkaTestClient.header(record, "dead-letter-reason")).contains("not a Rollwatch event");

        // The channel is still alive: a valid request after the poison is executed.
        String id = start("billing-" + UUID.randomUUID().toString().substring(0, 8));
        kafka.send(Envelope.of("/rollwatch/rollback-service", id, new RollbackRequested("billing", "production",
                Trigger.MANUAL, "operator", List.of(), "manual", 1, "2.4.0", "2.3.0", "ops", null)));
        await().atMost(WAIT).untilAsserted(() -> given().when().get("/api/v1/deployments/" + id)
                .then().body("status", equalTo("ROLLED_BACK")));
        assertThat(EventCodec.CONTENT_TYPE).isEqualTo("application/cloudevents+json");
    }
}
