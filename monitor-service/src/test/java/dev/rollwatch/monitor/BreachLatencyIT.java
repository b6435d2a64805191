package dev.rollwatch.monitor;

import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestTokens;
import dev.rollwatch.testsupport.TestKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rollwatch.monitor.Deployments.sample;
import static dev.rollwatch.monitor.Deployments.samples;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures what the push provider promises: sample POSTed → ThresholdBreached readable on Kafka. Prints the
 * distribution; asserts only that every breach arrived (the machine is shared, so no tight bound).
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class BreachLatencyIT {

    private static final int WARM_UP = 10;
    private static final int BREACHES = 50;

    @Test
    void samplePostToThresholdBreachedOnKafka() throws Exception {
        String id = Deployments.newId();
        HttpClient http = HttpClient.newHttpClient();
        try (KafkaTestClient kafka = KafkaTestClient.forTestBroker();
                KafkaConsumer<String, byte[]> consumer = tail()) {
            Deployments.startWatch(kafka, id, Deployments.service("latency-bench"), List.of());
            List<Long> micros = new ArrayList<>();
            List<Long> postMicros = new ArrayList<>();
            List<Long> decidedMs = new ArrayList<>();
            List<Long> producedMs = new ArrayList<>();
            for (int i = 0; i < WARM_UP + BREACHES; i++) {
                // An agent token per round: 120 POSTs in a few seconds would meet the per-identity rate limit,
                // which is not what this measures.
                String agent = TestTokens.builder().subject("latency-agent-" + i).roles("agent").services("*").bearer();
                // A passing sample closes the episode, so the next failing one opens a new breach.
                given().header("Authorization", agent).contentType(ContentType.JSON)
                        .body(samples(id, sample("error_rate", 0.001)))
                        .when().post("/api/v1/samples").then().statusCode(202);
                long startMs = System.currentTimeMillis();
                long start = System.nanoTime();
                String breachId = postBreach(http, id, agent);
                long posted = System.nanoTime();
                assertThat(breachId).as("breach %d", i).isNotNull();
                ConsumerRecord<String, byte[]> record = awaitOnKafka(consumer, breachId);
                long elapsed = (System.nanoTime() - start) / 1_000;
                if (i >= WARM_UP) {
                    micros.add(elapsed);
                    postMicros.add((posted - start) / 1_000);
                    decidedMs.add(EventCodec.decodeHeader(record.value()).time().toEpochMilli() - startMs);
                    producedMs.add(record.timestamp() - startMs);
                }
            }
            Collections.sort(micros);
            System.out.printf("[monitor-service] sample POST -> ThresholdBreached on Kafka over %d breaches: "
                    + "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, min %.2f ms, max %.2f ms%n", micros.size(),
                    pct(micros, 50), pct(micros, 90), pct(micros, 99), micros.get(0) / 1000.0,
                    micros.get(micros.size() - 1) / 1000.0);
            Collections.sort(postMicros);
            Collections.sort(decidedMs);
            Collections.sort(producedMs);
            System.out.printf("[monitor-service]   p50 breakdown from the POST: HTTP 202 back after %.2f ms, breach "
                    + "decided (event time) at %d ms, record produced (Kafka timestamp) at %d ms%n",
                    pct(postMicros, 50), decidedMs.get(decidedMs.size() / 2), producedMs.get(producedMs.size() / 2));
            String metrics = given().when().get("/q/metrics").then().extract().asString();
            System.out.printf("[monitor-service]   server side (rollwatch.monitor.sample.to.breach.latency): %s; "
                    + "load average %s%n", metrics.lines().filter(l -> l.startsWith(
                            "rollwatch_monitor_sample_to_breach_latency_seconds{quantile")).toList(), loadAverage());
            assertThat(micros).hasSize(BREACHES);
        }
    }

    /** The timed POST uses the JDK client: rest-assured's own overhead would be most of the figure. */
    private static String postBreach(HttpClient http, String id, String authorization) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                + "/api/v1/samples")).header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(samples(id, sample("error_rate", 0.08)))).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(202);
        return EventCodec.mapper().readTree(response.body()).path("breachEventIds").path(0).asText(null);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static double pct(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1000.0;
    }

    private static ConsumerRecord<String, byte[]> awaitOnKafka(KafkaConsumer<String, byte[]> consumer,
            String eventId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (eventId.equals(EventCodec.decodeHeader(r.value()).id())) {
                    return r;
                }
            }
        }
        throw new AssertionError("ThresholdBreached " + eventId + " not on Kafka within 30s");
    }

    /** A consumer positioned at the current end of threshold-breached, polling with no batching delay. */
    private static KafkaConsumer<String, byte[]> tail() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "latency-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.THRESHOLD_BREACHED).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end offsets now, before anything is published
        return consumer;
    }
}
