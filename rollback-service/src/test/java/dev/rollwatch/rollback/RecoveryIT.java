package dev.rollwatch.rollback;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.RollbackDecided;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.ThresholdRecovered;
import dev.rollwatch.events.Topics;
import dev.rollwatch.rollback.repository.BreachRecoveryRepository;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestKafka;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.rollwatch.rollback.Fixtures.WAIT;
import static dev.rollwatch.rollback.Fixtures.actions;
import static dev.rollwatch.rollback.Fixtures.awaitDecisions;
import static dev.rollwatch.rollback.Fixtures.breach;
import static dev.rollwatch.rollback.Fixtures.decisions;
import static dev.rollwatch.rollback.Fixtures.recovery;
import static dev.rollwatch.rollback.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * "P2 → roll back when it persists for a window" with the monitor's ThresholdRecovered: a P2 episode that recovered
 * inside its window only alerts (and says so), whichever of breach and recovery arrives first; an episode still open
 * at the end of its window rolls back; a recovery changes nothing once a rollback is under way; recovered episodes
 * still count towards "repeats N times within the window".
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class RecoveryIT {

    private static KafkaTestClient kafka;

    @Inject
    BreachRecoveryRepository recoveries;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void aP2EpisodeThatRecoversInsideItsWindowOnlyAlertsAndNeverRollsBack() {
        String service = unique("recovers");
        Fixtures.policy(service, "\"repeatWindow\": \"3s\"");
        String id = Fixtures.start(kafka, service, "2.1.0", "2.0.0");
        Envelope<ThresholdBreached> episode = judgedBy(breach(id, service, "2.1.0", Severity.P2, "p95-latency",
                Instant.now()), "builtin-v2");
        kafka.send(episode);
        Map<String, Object> alert = awaitDecisions(id, 1).get(0);
        assertThat(alert).containsEntry("rule", "p2-below-repeat-limit").containsEntry("ruleVersion", "builtin-v2");

        Envelope<ThresholdRecovered> recovered = recovery(episode, Duration.ofMillis(1200));
        kafka.send(recovered);
        kafka.send(recovered); // redelivered
        kafka.send(recovery(episode, Duration.ofMillis(1500))); // another recovery event naming the same episode

        List<Map<String, Object>> decisions = awaitDecisions(id, 2);
        assertThat(actions(decisions)).containsExactly("ALERT", "ALERT");
        Map<String, Object> followUp = decisions.get(1);
        assertThat(followUp).containsEntry("rule", "p2-recovered").containsEntry("followsUp", alert.get("id"))
                .containsEntry("breachEventId", episode.id()).containsEntry("recoveryEventId", recovered.id())
                .containsEntry("recoveredAt", recovered.data().recoveredAt().toString())
                .containsEntry("ruleVersion", "builtin-v2");
        assertThat((String) followUp.get("reason")).contains("recovered after 1200ms")
                .contains("within its 3s window: alert only, no rollback");

        RollbackDecided published = await().atMost(WAIT).until(() -> kafka.eventsAbout(Topics.ROLLBACK_DECISIONS, id)
                .stream().map(e -> e.as(RollbackDecided.class)).filter(e -> e.data().rule().equals("p2-recovered"))
                .toList(), list -> !list.isEmpty()).get(0).data();
        assertThat(published.action()).isEqualTo(RollbackDecided.ALERT);
        assertThat(published.reason()).contains("recovered after 1200ms").contains("alert only");
        assertThat(published.decisionId()).isEqualTo(followUp.get("id"));

        // Well past the window (3s) and several persistence checks (1s): nothing more is decided.
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(17)).until(() -> decisions(id).size() == 2);
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id)).isEmpty();
        given().get("/api/v1/deployments/" + id).then().body("state", org.hamcrest.Matchers.equalTo("ACTIVE"));
    }

    @Test
    void aRecoveryThatArrivesBeforeItsBreachIsAppliedWhenTheBreachComes() {
        String service = unique("recovery-first");
        Fixtures.policy(service, "\"repeatWindow\": \"2s\"");
        String id = Fixtures.start(kafka, service, "3.1.0", "3.0.0");
        Envelope<ThresholdBreached> episode = breach(id, service, "3.1.0", Severity.P2, "latency", Instant.now());
        Envelope<ThresholdRecovered> recovered = recovery(episode, Duration.ofMillis(800));
        kafka.send(recovered);
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(
                () -> recoveries.ofBreach(episode.id()).isPresent()));
        assertThat(decisions(id)).isEmpty();

        kafka.send(episode);

        List<Map<String, Object>> decisions = awaitDecisions(id, 2);
        assertThat(decisions).extracting(d -> d.get("rule")).containsExactly("p2-below-repeat-limit", "p2-recovered");
        assertThat(decisions.get(1)).containsEntry("followsUp", decisions.get(0).get("id"))
                .containsEntry("recoveryEventId", recovered.id());
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(16)).until(() -> decisions(id).size() == 2);
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id)).isEmpty();
    }

    @Test
    void anEpisodeStillOpenAtTheEndOfItsWindowRollsBackAndItsLateRecoveryChangesNothing() {
        String service = unique("recovers-late");
        Fixtures.policy(service, "\"repeatWindow\": \"2s\"");
        String id = Fixtures.start(kafka, service, "4.1.0", "4.0.0");
        Envelope<ThresholdBreached> episode = breach(id, service, "4.1.0", Severity.P2, "latency", Instant.now());
        kafka.send(episode);

        Envelope<RollbackRequested> rollback = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id,
                RollbackRequested.class, WAIT);
        assertThat(rollback.data().policyRule()).isEqualTo("p2-persisted");
        assertThat(rollback.data().reason()).contains("no recovery and no newer episode");

        kafka.send(recovery(episode, Duration.ofSeconds(10)));
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(
                () -> recoveries.ofBreach(episode.id()).isPresent()));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(14)).until(() -> decisions(id).size() == 2);
        assertThat(actions(decisions(id))).containsExactly("ALERT", "ROLLBACK");
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id)).hasSize(1);
    }

    @Test
    void aRecoveryForADeploymentAlreadyRollingBackChangesNothing() {
        String service = unique("recovery-rolling-back");
        String id = Fixtures.start(kafka, service, "5.1.0", "5.0.0");
        Envelope<ThresholdBreached> p2 = breach(id, service, "5.1.0", Severity.P2, "latency", Instant.now());
        kafka.send(p2);
        awaitDecisions(id, 1);
        kafka.send(breach(id, service, "5.1.0", Severity.P0, "error-rate", Instant.now()));
        kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id, RollbackRequested.class, WAIT);

        kafka.send(recovery(p2, Duration.ofSeconds(1)));

        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(
                () -> recoveries.ofBreach(p2.id()).isPresent()));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(14)).until(() -> decisions(id).size() == 2);
        assertThat(decisions(id)).extracting(d -> d.get("rule")).containsExactly("p2-below-repeat-limit",
                "p0-immediate");
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_DECISIONS, id)).extracting(e -> e.as(RollbackDecided.class)
                .data().rule()).containsExactly("p2-below-repeat-limit");
    }

    @Test
    void recoveredEpisodesStillCountTowardsTheRepeatLimit() {
        String service = unique("recovered-repeats");
        String id = Fixtures.start(kafka, service, "6.1.0", "6.0.0");
        Instant now = Instant.now();
        Envelope<ThresholdBreached> b1 = breach(id, service, "6.1.0", Severity.P2, "latency", now.minusSeconds(60));
        Envelope<ThresholdBreached> b2 = breach(id, service, "6.1.0", Severity.P2, "latency", now.minusSeconds(30));
        Envelope<ThresholdBreached> b3 = breach(id, service, "6.1.0", Severity.P2, "latency", now);
        kafka.send(b1);
        kafka.send(recovery(b1, Duration.ofSeconds(5)));
        kafka.send(b2);
        kafka.send(recovery(b2, Duration.ofSeconds(5)));
        kafka.send(b3);

        Envelope<RollbackRequested> rollback = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id,
                RollbackRequested.class, WAIT);
        assertThat(rollback.data().policyRule()).isEqualTo("p2-repeated");
        assertThat(rollback.data().breachEventIds()).containsExactly(b1.id(), b2.id(), b3.id());
    }

    @Test
    void replayedRecoveriesAreIgnoredAndPoisonGoesToTheDeadLetterTopic() throws Exception {
        String service = unique("recovery-replay");
        Fixtures.policy(service, "\"repeatWindow\": \"2s\"");
        String id = Fixtures.start(kafka, service, "7.1.0", "7.0.0");
        Envelope<ThresholdBreached> episode = breach(id, service, "7.1.0", Severity.P2, "latency", Instant.now());
        kafka.send(episode);
        awaitDecisions(id, 1);
        // An audit replay of a recovery is history, not news: the episode still persists and rolls back.
        ProducerRecord<String, byte[]> replay = new ProducerRecord<>(Topics.THRESHOLD_RECOVERED, id,
                EventCodec.encode(recovery(episode, Duration.ofMillis(100))));
        replay.headers().add(Topics.REPLAY_HEADER, "true".getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.send(replay).get(30, TimeUnit.SECONDS);
        }
        String poisonKey = "poison-" + UUID.randomUUID();
        kafka.send(Topics.THRESHOLD_RECOVERED, poisonKey, "{not an event".getBytes(StandardCharsets.UTF_8));
        String wrongKey = UUID.randomUUID().toString();
        kafka.send(Topics.THRESHOLD_RECOVERED, wrongKey, EventCodec.encode(episode));

        List<ConsumerRecord<String, byte[]>> dead = kafka.awaitRecords(Topics.dlq(Topics.THRESHOLD_RECOVERED),
                r -> poisonKey.equals(r.key()), WAIT);
        assertThat(KafkaTestClient.header(dead.get(dead.size() - 1), "dead-letter-reason"))
                .contains("not a Rollwatch event");
        kafka.awaitRecords(Topics.dlq(Topics.THRESHOLD_RECOVERED), r -> wrongKey.equals(r.key()), WAIT);

        assertThat(kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id, RollbackRequested.class, WAIT).data()
                .policyRule()).isEqualTo("p2-persisted");
        assertThat(QuarkusTransaction.requiringNew().call(() -> recoveries.ofBreach(episode.id()).isPresent()))
                .isFalse();
        // The channel is alive after the poison: a real recovery of another deployment is applied.
        String other = Fixtures.start(kafka, service, "7.2.0", "7.1.0");
        Envelope<ThresholdBreached> next = breach(other, service, "7.2.0", Severity.P2, "latency", Instant.now());
        kafka.send(next);
        kafka.send(recovery(next, Duration.ofMillis(300)));
        assertThat(awaitDecisions(other, 2)).extracting(d -> d.get("rule"))
                .containsExactly("p2-below-repeat-limit", "p2-recovered");
    }

    /** The breach as a monitor that names the check definition that judged it sends it. */
    private static Envelope<ThresholdBreached> judgedBy(Envelope<ThresholdBreached> e, String ruleVersion) {
        ThresholdBreached b = e.data();
        return Envelope.of(e.source(), e.subject(), new ThresholdBreached(b.service(), b.environment(), b.version(),
                b.check(), b.metric(), b.query(), b.observed(), b.threshold(), b.operator(), b.window(), b.severity(),
                b.failures(), b.failureLimit(), b.observedAt(), b.stepIndex(), null, null, ruleVersion));
    }
}
