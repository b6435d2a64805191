package dev.rollwatch.monitor;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.MetricSample;
import dev.rollwatch.events.SamplesReported;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
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
import java.util.concurrent.TimeUnit;

import static dev.rollwatch.monitor.Deployments.WAIT;
import static dev.rollwatch.monitor.Deployments.errorRate;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SamplesReported on the metric-samples topic: judged like POST /api/v1/samples, once, in order, for the services the
 * topic may feed; what REST would refuse goes to the DLQ.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class MetricSamplesIT {

    /** The service the topic may feed in tests ({@code %test.rollwatch.monitor.metric-samples.services}). */
    static final String FED = "fed-by-topic";

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    static Envelope<SamplesReported> batch(String id, MetricSample... samples) {
        return Envelope.of("/rollwatch/agent", id, new SamplesReported(id, List.of(samples)));
    }

    static int measurements(String id) {
        return given().when().get("/api/v1/deployments/" + id + "/analysis").then().extract()
                .path("checks[0].measurements");
    }

    static double breachTimerCount() {
        String metrics = given().when().get("/q/metrics").then().extract().asString();
        return metrics.lines().filter(l -> l.startsWith("rollwatch_monitor_sample_to_breach_latency_seconds_count"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aBreachingBatchOnTheTopicPublishesThresholdBreachedOnceEvenWhenRedelivered() {
        String id = Deployments.newId();
        String service = FED;
        Deployments.startWatch(kafka, id, service, List.of(errorRate(2, Severity.P1)));
        Instant t0 = Instant.parse("2026-03-02T14:00:00Z");
        double timedBefore = breachTimerCount();

        Envelope<SamplesReported> samples = batch(id, new MetricSample("error_rate", 0.002, t0, null),
                new MetricSample("error_rate", 0.03, t0.plusSeconds(1), null),
                // The stable version's value is not judged.
                new MetricSample("error_rate", 0.5, t0.plusSeconds(1), "2.3.0"),
                new MetricSample("error_rate", 0.04, t0.plusSeconds(2), "2.4.0"));
        kafka.send(samples);

        Envelope<ThresholdBreached> breach = kafka.awaitEvent(Topics.THRESHOLD_BREACHED, id,
                ThresholdBreached.class, WAIT);
        assertThat(breach.data().observed()).containsExactly(0.03, 0.04);
        assertThat(breach.data().observedAt()).isEqualTo(t0.plusSeconds(2));
        assertThat(breach.data().severity()).isEqualTo(Severity.P1);
        assertThat(breach.data().service()).isEqualTo(service);
        await().atMost(WAIT).until(() -> measurements(id) == 3);
        await().atMost(WAIT).until(() -> breachTimerCount() >= timedBefore + 1);

        // The same batch again (a redelivery) is claimed already: nothing is judged twice.
        kafka.send(samples);
        Envelope<SamplesReported> marker = batch(id, new MetricSample("error_rate", 0.05, t0.plusSeconds(3), null));
        kafka.send(marker);
        await().atMost(WAIT).until(() -> measurements(id) == 4);
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).hasSize(1);
    }

    @Test
    void replayedBatchesAreIgnored() throws Exception {
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, FED, List.of(errorRate(1, Severity.P1)));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            ProducerRecord<String, byte[]> replay = new ProducerRecord<>(Topics.METRIC_SAMPLES, id,
                    EventCodec.encode(batch(id, new MetricSample("error_rate", 0.9, null, null))));
            replay.headers().add(Topics.REPLAY_HEADER, "true".getBytes(StandardCharsets.UTF_8));
            producer.send(replay).get(30, TimeUnit.SECONDS);
        }
        kafka.send(batch(id, new MetricSample("error_rate", 0.001, null, null)));
        await().atMost(WAIT).until(() -> measurements(id) == 1);
        given().when().get("/api/v1/deployments/" + id + "/analysis").then()
                .body("checks[0].lastValue", org.hamcrest.Matchers.equalTo(0.001f));
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).isEmpty();
    }

    @Test
    void poisonGoesToTheDeadLetterTopicAndTheChannelGoesOn() {
        String poisonKey = "poison-" + Deployments.newId();
        kafka.send(Topics.METRIC_SAMPLES, poisonKey, "{not an event".getBytes(StandardCharsets.UTF_8));
        List<ConsumerRecord<String, byte[]>> dead = kafka.awaitRecords(Topics.dlq(Topics.METRIC_SAMPLES),
                r -> poisonKey.equals(r.key()), WAIT);
        assertThat(KafkaTestClient.header(dead.get(dead.size() - 1), "dead-letter-reason")).isNotBlank();
        // A contract event of another type on the topic is poison too.
        String wrongKey = Deployments.newId();
        kafka.send(Topics.METRIC_SAMPLES, wrongKey, EventCodec.encode(Deployments.started(wrongKey, "x", List.of())));
        kafka.awaitRecords(Topics.dlq(Topics.METRIC_SAMPLES), r -> wrongKey.equals(r.key()), WAIT);

        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, FED, List.of(errorRate(1, Severity.P1)));
        kafka.send(batch(id, new MetricSample("error_rate", 0.2, null, null)));
        assertThat(kafka.awaitEvent(Topics.THRESHOLD_BREACHED, id, ThresholdBreached.class, WAIT).data().observed())
                .containsExactly(0.2);
    }

    @Test
    void aBatchFromTheFutureIsRefusedToTheDeadLetterTopicAndNothingOfItIsJudged() {
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, FED, List.of(errorRate(1, Severity.P1)));
        Envelope<SamplesReported> future = batch(id, new MetricSample("error_rate", 0.5, null, null),
                new MetricSample("error_rate", 0.6, Instant.now().plus(Duration.ofHours(1)), null));
        kafka.send(future);

        List<ConsumerRecord<String, byte[]>> dead = kafka.awaitRecords(Topics.dlq(Topics.METRIC_SAMPLES),
                r -> id.equals(r.key()), WAIT);
        assertThat(KafkaTestClient.header(dead.get(dead.size() - 1), "dead-letter-reason"))
                .contains(future.id()).contains("samples[1].observedAt").contains("in the future");
        // The same key, so behind the refused batch on its partition: once it is judged, the refused one was not.
        kafka.send(batch(id, new MetricSample("error_rate", 0.001, null, null)));
        await().atMost(WAIT).until(() -> measurements(id) == 1);
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).isEmpty();
    }

    @Test
    void aBatchForAnUnknownDeploymentIsDroppedAndTheChannelGoesOn() {
        String unknown = Deployments.newId();
        kafka.send(batch(unknown, new MetricSample("error_rate", 0.9, null, null)));
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, FED, List.of(errorRate(1, Severity.P1)));
        // Keyed like the dropped batch, so behind it on its partition: once this one is judged, that one was
        // consumed, and neither dead-lettered nor stopping the channel.
        kafka.send(Topics.METRIC_SAMPLES, unknown, EventCodec.encode(batch(id, new MetricSample("error_rate", 0.002,
                null, null))));
        await().atMost(WAIT).until(() -> measurements(id) == 1);
        assertThat(kafka.eventsAbout(Topics.dlq(Topics.METRIC_SAMPLES), unknown)).isEmpty();
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, unknown)).isEmpty();
    }

    /** {@code json} sent as a metric-samples record under {@code key}; the DLQ record it became. */
    private static ConsumerRecord<String, byte[]> refused(String key, String json) {
        kafka.send(Topics.METRIC_SAMPLES, key, json.getBytes(StandardCharsets.UTF_8));
        List<ConsumerRecord<String, byte[]>> dead = kafka.awaitRecords(Topics.dlq(Topics.METRIC_SAMPLES),
                r -> key.equals(r.key()), WAIT);
        return dead.get(dead.size() - 1);
    }

    /** Behind everything sent under {@code key} so far: once {@code id}'s marker is judged, those were consumed. */
    private static void judgedAfter(String key, String id) {
        int before = measurements(id);
        kafka.send(Topics.METRIC_SAMPLES, key, EventCodec.encode(batch(id,
                new MetricSample("error_rate", 0.001, null, null))));
        await().atMost(WAIT).until(() -> measurements(id) == before + 1);
    }

    @Test
    void aBatchForAServiceTheTopicMayNotFeedGoesToTheDeadLetterTopicAndNothingOfItIsJudged() {
        String id = Deployments.newId();
        String other = Deployments.service("not-fed");
        Deployments.startWatch(kafka, id, other, List.of(errorRate(1, Severity.P1)));
        Envelope<SamplesReported> forged = batch(id, new MetricSample("error_rate", 0.9, null, null));
        kafka.send(forged);

        List<ConsumerRecord<String, byte[]>> dead = kafka.awaitRecords(Topics.dlq(Topics.METRIC_SAMPLES),
                r -> id.equals(r.key()), WAIT);
        assertThat(KafkaTestClient.header(dead.get(dead.size() - 1), "dead-letter-reason"))
                .contains(other).contains("may not feed");
        String fed = Deployments.newId();
        Deployments.startWatch(kafka, fed, FED, List.of(errorRate(1, Severity.P1)));
        judgedAfter(id, fed);
        assertThat(measurements(id)).isZero();
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).isEmpty();
    }

    @Test
    void aValueThatIsNotAFiniteNumberGoesToTheDeadLetterTopicAndNothingOfItIsJudged() {
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, FED, List.of(errorRate(1, Severity.P1)));
        String json = new String(EventCodec.encode(batch(id, new MetricSample("error_rate", 0.25, null, null),
                new MetricSample("error_rate", 0.0123, null, null))), StandardCharsets.UTF_8);
        assertThat(json).contains("0.0123");
        for (String notFinite : List.of("1e400", "-1e400", "\"NaN\"", "\"Infinity\"")) {
            String key = "not-finite-" + Deployments.newId();
            ConsumerRecord<String, byte[]> dead = refused(key, json.replace("0.0123", notFinite));
            assertThat(KafkaTestClient.header(dead, "dead-letter-reason")).as(notFinite).isNotBlank();
            judgedAfter(key, id);
        }
        // Only the markers were judged: not the 0.25 that came with any refused value.
        assertThat(measurements(id)).isEqualTo(4);
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).isEmpty();
    }

    @Test
    void aBatchOfMoreSamplesThanARequestMayCarryGoesToTheDeadLetterTopic() {
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, FED, List.of(errorRate(1, Severity.P1)));
        MetricSample[] samples = new MetricSample[1001];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = new MetricSample("error_rate", i == 0 ? 0.9 : 0.001, null, null);
        }
        Envelope<SamplesReported> big = batch(id, samples);
        kafka.send(big);
        List<ConsumerRecord<String, byte[]>> dead = kafka.awaitRecords(Topics.dlq(Topics.METRIC_SAMPLES),
                r -> id.equals(r.key()), WAIT);
        assertThat(KafkaTestClient.header(dead.get(dead.size() - 1), "dead-letter-reason"))
                .contains(big.id()).contains("1001 samples").contains("at most 1000");
        judgedAfter(id, id);
        assertThat(measurements(id)).isEqualTo(1);
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).isEmpty();
    }
}
