package dev.rollwatch.monitor;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.Operator;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.ThresholdRecovered;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.rollwatch.monitor.Deployments.WAIT;
import static dev.rollwatch.monitor.Deployments.errorRate;
import static dev.rollwatch.monitor.PushSamplesIT.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** The end of a breach episode: one ThresholdRecovered, caused by and naming the episode's ThresholdBreached. */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class EpisodeRecoveryIT {

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    static String at(String metric, double value, Instant when) {
        return "{\"metric\": \"" + metric + "\", \"value\": " + value + ", \"observedAt\": \"" + when + "\"}";
    }

    @Test
    void aRecoveryIsAnnouncedOnceAndTheNextBreachIsANewEpisode() {
        String id = Deployments.newId();
        String service = Deployments.service("recover");
        Deployments.startWatch(kafka, id, service, List.of(errorRate(1, Severity.P2)));
        Instant t0 = Instant.parse("2026-03-02T14:00:00Z");

        String breachId = post(Deployments.samples(id, at("error_rate", 0.05, t0), at("error_rate", 0.06,
                t0.plusSeconds(5)))).statusCode(202).extract().path("breachEventIds[0]");
        // The first passing measurement closes the episode; the good ones after it announce nothing more.
        String recoveryId = post(Deployments.samples(id, at("error_rate", 0.004, t0.plusSeconds(10)),
                at("error_rate", 0.003, t0.plusSeconds(15)), at("error_rate", 0.002, t0.plusSeconds(20))))
                .statusCode(202)
                .body("evaluated[0].checks[0].recoveryEventId", notNullValue())
                .body("evaluated[1].checks[0].recoveryEventId", nullValue())
                .body("evaluated[2].checks[0].recoveryEventId", nullValue())
                .extract().path("evaluated[0].checks[0].recoveryEventId");
        post(Deployments.samples(id, at("error_rate", 0.001, t0.plusSeconds(25)))).statusCode(202)
                .body("evaluated[0].checks[0].recoveryEventId", nullValue());

        Envelope<ThresholdRecovered> recovered = kafka.awaitEvent(Topics.THRESHOLD_RECOVERED, id,
                ThresholdRecovered.class, WAIT);
        assertThat(recovered.id()).isEqualTo(recoveryId);
        assertThat(recovered.key()).isEqualTo(id);
        assertThat(recovered.subject()).isEqualTo(id);
        assertThat(recovered.causationId()).isEqualTo(breachId);
        assertThat(recovered.correlationId()).isEqualTo(id);
        assertThat(recovered.source()).isEqualTo("/rollwatch/monitor-service");
        assertThat(recovered.data()).usingRecursiveComparison().isEqualTo(new ThresholdRecovered(service,
                "production", "2.4.0", "error-rate", "error_rate", breachId, t0, t0.plusSeconds(10), List.of(0.004),
                0.01, Operator.GT, Severity.P2, null));

        // A new breach after the recovery is a second episode, with its own breach and its own recovery.
        String secondBreach = post(Deployments.samples(id, at("error_rate", 0.07, t0.plusSeconds(30))))
                .statusCode(202).extract().path("breachEventIds[0]");
        String secondRecovery = post(Deployments.samples(id, at("error_rate", 0.0, t0.plusSeconds(35))))
                .statusCode(202).extract().path("evaluated[0].checks[0].recoveryEventId");
        assertThat(secondBreach).isNotEqualTo(breachId);
        assertThat(secondRecovery).isNotNull().isNotEqualTo(recoveryId);

        kafka.awaitRecords(Topics.THRESHOLD_RECOVERED, r -> secondRecovery.equals(EventCodec.decodeHeader(r.value())
                .id()), WAIT);
        List<Envelope<EventData>> recoveries = kafka.eventsAbout(Topics.THRESHOLD_RECOVERED, id);
        assertThat(recoveries).extracting(Envelope::id).containsExactly(recoveryId, secondRecovery);
        ThresholdRecovered second = recoveries.get(1).as(ThresholdRecovered.class).data();
        assertThat(second.breachEventId()).isEqualTo(secondBreach);
        assertThat(recoveries.get(1).causationId()).isEqualTo(secondBreach);
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).extracting(Envelope::id)
                .containsExactly(breachId, secondBreach);

        given().when().get("/api/v1/deployments/" + id + "/analysis").then()
                .body("breaches", hasSize(2))
                .body("breaches.recoveryEventId", contains(recoveryId, secondRecovery))
                .body("breaches[0].recoveredAt", equalTo("2026-03-02T14:00:10Z"))
                .body("checks[0].episodes", equalTo(2))
                .body("checks[0].inBreach", equalTo(false));
    }

    @Test
    void anEpisodeStillOpenHasNoRecovery() {
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, Deployments.service("open"), List.of(errorRate(1, Severity.P1)));
        String breachId = post(Deployments.samples(id, Deployments.sample("error_rate", 0.3),
                Deployments.sample("error_rate", 0.4))).statusCode(202).extract().path("breachEventIds[0]");
        kafka.awaitEvent(Topics.THRESHOLD_BREACHED, id, ThresholdBreached.class, WAIT);
        assertThat(breachId).isNotNull();
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_RECOVERED, id)).isEmpty();
        given().when().get("/api/v1/deployments/" + id + "/analysis").then()
                .body("breaches[0].recoveredAt", nullValue());
    }
}
