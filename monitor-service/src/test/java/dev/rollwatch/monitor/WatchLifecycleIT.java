package dev.rollwatch.monitor;

import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.DeploymentSummary;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepOutcome;
import dev.rollwatch.events.StepStarted;
import dev.rollwatch.events.Topics;
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
import java.time.Instant;
import java.util.List;

import static dev.rollwatch.monitor.Deployments.DEPLOY_SOURCE;
import static dev.rollwatch.monitor.Deployments.WAIT;
import static dev.rollwatch.monitor.Deployments.errorRate;
import static dev.rollwatch.monitor.Deployments.sample;
import static dev.rollwatch.monitor.Deployments.samples;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.oneOf;
import static org.hamcrest.Matchers.hasSize;

/** Watches follow the deployment's events: started, stepped, finished (with a bake window), never twice. */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class WatchLifecycleIT {

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    static String analysis(String id) {
        return "/api/v1/deployments/" + id + "/analysis";
    }

    @Test
    void aDeploymentWithoutChecksIsWatchedWithTheRunbooksDefaults() {
        String id = Deployments.newId();
        // An unreachable metrics endpoint: its scrapes are ERROR measurements, never failures (only once it has been
        // unreachable for the outage window is it one P0 of kind unavailable: ScrapeProviderIT).
        Envelope<DeploymentStarted> started = Deployments.startWatch(kafka, id, Deployments.service("checkout"),
                List.of(), "http://127.0.0.1:9/metrics");

        given().when().get(analysis(id)).then().statusCode(200)
                .body("status", equalTo("ACTIVE"))
                .body("version", equalTo("2.4.0"))
                .body("previousVersion", equalTo("2.3.0"))
                .body("metricsUrl", equalTo("http://127.0.0.1:9/metrics"))
                .body("causationId", equalTo(started.id()))
                .body("verdict", equalTo("INCONCLUSIVE"))
                .body("checks.name", contains("error-rate", "error-rate-warning", "error-rate-critical",
                        "latency-p95", "latency-p95-critical", "latency-p99", "success-rate", "success-rate-critical",
                        "queue-size", "queue-size-high", "queue-size-warning", "memory-growth", "memory-utilization",
                        "cpu-utilization", "cpu-utilization-critical"))
                .body("checks.metric", contains("error_rate", "error_rate", "error_rate", "latency_p95",
                        "latency_p95", "latency_p99", "success_rate", "success_rate", "queue_size", "queue_size",
                        "queue_size", "process_resident_memory_bytes", "memory_utilization", "cpu_utilization",
                        "cpu_utilization"))
                .body("checks.measure", everyItem(oneOf("VALUE", "GROWTH_PER_HOUR")))
                .body("checks[11].measure", equalTo("GROWTH_PER_HOUR"))
                .body("checks.ruleVersion", everyItem(equalTo("builtin-v2")))
                .body("checks.severity", contains("P1", "P3", "P1", "P2", "P1", "P2", "P2", "P1", "P1", "P2", "P3",
                        "P1", "P1", "P2", "P1"))
                .body("checks.verdict", everyItem(equalTo("INCONCLUSIVE")));
    }

    @Test
    void aDuplicatedDeploymentStartedCreatesOneWatch() {
        String id = Deployments.newId();
        String service = Deployments.service("payments");
        Envelope<DeploymentStarted> started = Deployments.startWatch(kafka, id, service,
                List.of(errorRate(1, Severity.P1)));
        kafka.send(started); // redelivery: same source and id
        kafka.send(Deployments.started(id, service, List.of(errorRate(1, Severity.P1)))); // a re-sent copy, new id

        // A marker watch sent with the same record key lands on the same partition after the duplicates: once it
        // exists, the duplicates have been consumed.
        String marker = Deployments.newId();
        kafka.send(Topics.DEPLOYMENT_STARTED, id, dev.rollwatch.events.EventCodec.encode(
                Deployments.started(marker, service + "-marker", List.of())));
        Deployments.awaitWatch(marker);
        given().when().get(analysis(id)).then()
                .body("checks", hasSize(1))
                .body("causationId", equalTo(started.id()));
    }

    @Test
    void stepsMoveTheWatchAndBreachesCarryTheStep() {
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, Deployments.service("search"), List.of(errorRate(1, Severity.P1)));
        kafka.send(Envelope.of(DEPLOY_SOURCE, id, new StepStarted(0, StepKind.SET_WEIGHT, 5, null)));
        kafka.send(Envelope.of(DEPLOY_SOURCE, id, new StepCompleted(0, StepKind.SET_WEIGHT, StepOutcome.SUCCEEDED,
                5, 12, null)));
        kafka.send(Envelope.of(DEPLOY_SOURCE, id, new StepStarted(1, StepKind.ANALYSIS, null,
                Instant.now().plusSeconds(120))));
        await().atMost(WAIT).untilAsserted(() -> given().when().get(analysis(id)).then()
                .body("stepIndex", equalTo(1)).body("weight", equalTo(5)));

        given().contentType(ContentType.JSON).body(samples(id, sample("error_rate", 0.2)))
                .when().post("/api/v1/samples").then().statusCode(202);
        given().when().get(analysis(id)).then().body("breaches[0].stepIndex", equalTo(1));
    }

    @Test
    void aFailedDeploymentStopsTheWatchAndLaterSamplesAreRefused() {
        String id = Deployments.newId();
        String service = Deployments.service("orders");
        Deployments.startWatch(kafka, id, service, List.of(errorRate(1, Severity.P1)));
        kafka.send(finished(id, service, DeploymentOutcome.ROLLED_BACK));
        await().atMost(WAIT).untilAsserted(() -> given().when().get(analysis(id)).then()
                .body("status", equalTo("STOPPED")).body("finishOutcome", equalTo("ROLLED_BACK")));

        given().contentType(ContentType.JSON).body(samples(id, sample("error_rate", 0.5)))
                .when().post("/api/v1/samples").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/watch-stopped"));
        given().when().get(analysis(id)).then().body("checks[0].measurements", equalTo(0))
                .body("breaches", hasSize(0));
    }

    @Test
    void aSucceededDeploymentIsWatchedThroughItsBakeWindowThenStops() {
        String id = Deployments.newId();
        String service = Deployments.service("cart");
        Deployments.startWatch(kafka, id, service, List.of(errorRate(1, Severity.P1)));
        kafka.send(finished(id, service, DeploymentOutcome.SUCCEEDED));
        await().atMost(WAIT).untilAsserted(() -> given().when().get(analysis(id)).then()
                .body("status", equalTo("BAKING")));

        // Post-promotion monitoring: samples are still judged during the bake window (2s in tests).
        given().contentType(ContentType.JSON).body(samples(id, sample("error_rate", 0.001)))
                .when().post("/api/v1/samples").then().statusCode(202)
                .body("evaluated[0].checks[0].outcome", equalTo("PASSED"));

        await().atMost(WAIT).untilAsserted(() -> given().when().get(analysis(id)).then()
                .body("status", equalTo("STOPPED")));
        given().contentType(ContentType.JSON).body(samples(id, sample("error_rate", 0.001)))
                .when().post("/api/v1/samples").then().statusCode(409);
    }

    @Test
    void poisonOnEveryConsumedTopicGoesToItsDeadLetterTopicAndConsumptionGoesOn() {
        for (String topic : List.of(Topics.DEPLOYMENT_STARTED, Topics.STEP_STARTED, Topics.STEP_COMPLETED,
                Topics.DEPLOYMENT_FINISHED)) {
            String poisonKey = "poison-" + Deployments.newId();
            kafka.send(topic, poisonKey, "{not an event".getBytes(StandardCharsets.UTF_8));
            List<ConsumerRecord<String, byte[]>> dead = kafka.awaitRecords(Topics.dlq(topic),
                    r -> poisonKey.equals(r.key()), WAIT);
            ConsumerRecord<String, byte[]> record = dead.get(dead.size() - 1);
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{not an event");
            assertThat(KafkaTestClient.header(record, "dead-letter-reason")).as(topic)
                    .contains("not a Rollwatch event");
        }
        // A well-formed event of the wrong type on a topic is poison too, not silently dropped.
        String wrongKey = Deployments.newId();
        kafka.send(Topics.STEP_STARTED, wrongKey, dev.rollwatch.events.EventCodec.encode(
                Envelope.of(DEPLOY_SOURCE, wrongKey, new StepCompleted(0, StepKind.PAUSE, StepOutcome.SUCCEEDED, null,
                        1, null))));
        kafka.awaitRecords(Topics.dlq(Topics.STEP_STARTED), r -> wrongKey.equals(r.key()), WAIT);

        // Every channel is still alive: a whole watch life after the poison is applied.
        String id = Deployments.newId();
        String service = Deployments.service("billing");
        Deployments.startWatch(kafka, id, service, List.of(errorRate(1, Severity.P1)));
        kafka.send(Envelope.of(DEPLOY_SOURCE, id, new StepStarted(0, StepKind.SET_WEIGHT, 5, null)));
        kafka.send(Envelope.of(DEPLOY_SOURCE, id, new StepCompleted(1, StepKind.SET_WEIGHT, StepOutcome.SUCCEEDED,
                25, 3, null)));
        await().atMost(WAIT).untilAsserted(() -> given().when().get(analysis(id)).then()
                .body("stepIndex", equalTo(1)).body("weight", equalTo(25)));
        kafka.send(finished(id, service, DeploymentOutcome.ABORTED));
        await().atMost(WAIT).untilAsserted(() -> given().when().get(analysis(id)).then()
                .body("status", equalTo("STOPPED")));
    }

    static Envelope<DeploymentFinished> finished(String id, String service, DeploymentOutcome outcome) {
        return Envelope.of(DEPLOY_SOURCE, id, new DeploymentFinished(outcome, new DeploymentSummary(service,
                "production", "2.4.0", outcome == DeploymentOutcome.SUCCEEDED ? "2.4.0" : "2.3.0", 3, 3, 100, 100,
                1000, null)));
    }
}
