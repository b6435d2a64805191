package dev.rollwatch.monitor;

import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepStarted;
import dev.rollwatch.events.Topics;
import dev.rollwatch.monitor.domain.Breach;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/**
 * What a restart does to a watch, as far as one {@code @QuarkusTest} JVM can show it. A restarted instance (or
 * the instance that takes over a partition) has only what is in PostgreSQL, and Kafka re-delivers every record
 * after the last committed offset. So the test re-delivers the exact records of the watch's history — the same
 * bytes a restarted consumer would read again — and shows that nothing is created twice, that the stored progress
 * (measurements, open episode) carries on, and that the episode's event id is a function of the stored state, so
 * re-evaluating after a restart cannot announce the same episode under a new id.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class WatchRestartIT {

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

    static io.restassured.response.ValidatableResponse post(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/v1/samples").then()
                .statusCode(202);
    }

    @Test
    void redeliveredHistoryAfterARestartNeitherLosesNorDuplicatesTheWatchAndEvaluationCarriesOn() {
        String id = Deployments.newId();
        String service = Deployments.service("restart");
        Envelope<DeploymentStarted> started = Deployments.startWatch(kafka, id, service,
                List.of(errorRate(1, Severity.P1)));
        Envelope<StepStarted> step = Envelope.of(DEPLOY_SOURCE, id, new StepStarted(0, StepKind.SET_WEIGHT, 25,
                null));
        kafka.send(step);
        await().atMost(WAIT).untilAsserted(() -> given().when().get(analysis(id)).then()
                .body("stepIndex", equalTo(0)).body("weight", equalTo(25)));

        // Before the restart: one good measurement, then a breach that is still open.
        post(samples(id, sample("error_rate", 0.002)));
        String firstBreach = post(samples(id, sample("error_rate", 0.2)))
                .extract().path("breachEventIds[0]");
        assertThat(firstBreach).isEqualTo(Breach.eventId(id, "error-rate", 1));

        // The restart: Kafka hands the uncommitted history to the new consumer again, byte for byte, and the
        // deploy service may have re-published DeploymentStarted under a new event id.
        kafka.send(Topics.DEPLOYMENT_STARTED, id, EventCodec.encode(started));
        kafka.send(Topics.STEP_STARTED, id, EventCodec.encode(step));
        kafka.send(Deployments.started(id, service, List.of(errorRate(3, Severity.P3))));
        // A marker sent with the same key lands behind them on the same partition: once its watch exists, the
        // re-delivered records have all been consumed.
        String marker = Deployments.newId();
        kafka.send(Topics.DEPLOYMENT_STARTED, id, EventCodec.encode(Deployments.started(marker, service + "-marker",
                List.of())));
        Deployments.awaitWatch(marker);

        // Not lost, not duplicated, not reset: the same single check with its rule and its progress.
        given().when().get(analysis(id)).then()
                .body("status", equalTo("ACTIVE"))
                .body("causationId", equalTo(started.id()))
                .body("stepIndex", equalTo(0))
                .body("checks", hasSize(1))
                .body("checks[0].failureLimit", equalTo(1))
                .body("checks[0].severity", equalTo("P1"))
                .body("checks[0].measurements", equalTo(2))
                .body("checks[0].inBreach", equalTo(true))
                .body("checks[0].episodes", equalTo(1))
                .body("breaches", hasSize(1));

        // Evaluation carries on from the stored state: still in the same episode, so no second announcement...
        post(samples(id, sample("error_rate", 0.3)))
                .body("breachEventIds", hasSize(0))
                .body("evaluated[0].checks[0].inBreach", equalTo(true))
                .body("evaluated[0].checks[0].breachEventId", nullValue());
        // ...and a recovery followed by a new breach is episode 2, under its own id.
        post(samples(id, sample("error_rate", 0.001)));
        String secondBreach = post(samples(id, sample("error_rate", 0.5))).extract().path("breachEventIds[0]");
        assertThat(secondBreach).isEqualTo(Breach.eventId(id, "error-rate", 2)).isNotEqualTo(firstBreach);

        await().atMost(WAIT).untilAsserted(() -> assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id))
                .extracting(Envelope::id).containsExactly(firstBreach, secondBreach));
        given().when().get(analysis(id)).then()
                .body("checks[0].measurements", equalTo(5))
                .body("breaches.episode", contains(1, 2));
        List<Envelope<EventData>> watchesStarted = kafka.eventsAbout(Topics.DEPLOYMENT_STARTED, id);
        assertThat(watchesStarted).hasSizeGreaterThanOrEqualTo(3); // the history really was delivered again
    }
}
