package dev.rollwatch.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestKafka;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark of issue 4 — not a test of timings, and not run by a normal build (failsafe excludes it unless
 * the {@code benchmarks} profile is on):
 *
 * <pre>mvn -q -pl monitor-service verify -Pbenchmarks -Dit.test=MonitorBenchmarkIT [-Dbench.deployments=1000
 *     -Dbench.seconds=30 -Dbench.threads=8]</pre>
 *
 * <p>Starts {@code bench.deployments} watches with 5 push checks each (over Kafka, as the deploy service does),
 * then {@code bench.threads} clients push batches of 5 samples (one per check) as fast as the service answers for
 * {@code bench.seconds}, each client on its own deployments. Every 20th batch of a client carries a bad error
 * rate, which opens a breach episode (the next batch of that deployment closes it). Prints the samples evaluated
 * per second and the distribution of push (before the POST) → ThresholdBreached read from Kafka, measured under
 * that load.
 *
 * <p>The clients push with an {@code agent} token; the per-identity rate limit is off for the benchmark (its own
 * profile), since it measures the evaluation, not the limit.
 */
@QuarkusTest
@TestProfile(MonitorBenchmarkIT.NoRateLimit.class)
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class MonitorBenchmarkIT {

    /** The benchmark's configuration: the per-identity rate limit off. */
    public static class NoRateLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rollwatch.security.rate-limit.enabled", "false");
        }
    }

    private static final String AGENT = TestTokens.builder().subject("monitor-benchmark").roles("agent").services("*").bearer();

    private static final int DEPLOYMENTS = Integer.getInteger("bench.deployments", 1000);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 30);
    private static final int THREADS = Integer.getInteger("bench.threads", 8);
    private static final int BREACH_EVERY = 20;

    static List<CheckSpec> fiveChecks() {
        Duration i = Duration.ofSeconds(5);
        Duration w = Duration.ofSeconds(30);
        return List.of(
                new CheckSpec("error-rate", "push", "error_rate", null, null, 0.01, i, w, 1, 4, Severity.P1),
                new CheckSpec("latency-p95", "push", "latency_p95", null, null, 0.5, i, w, 1, 4, Severity.P2),
                new CheckSpec("success-rate", "push", "success_rate", null, 0.999, null, i, w, 1, 4, Severity.P2),
                new CheckSpec("queue-size", "push", "queue_size", null, null, 1000.0, i, w, 1, 4, Severity.P1),
                new CheckSpec("memory-growth", "push", "memory_growth", null, null, 10.0, i, w, 1, 4, Severity.P2));
    }

    static String batch(String id, double errorRate) {
        return Deployments.samples(id, Deployments.sample("error_rate", errorRate),
                Deployments.sample("latency_p95", 0.12), Deployments.sample("success_rate", 0.9995),
                Deployments.sample("queue_size", 40), Deployments.sample("memory_growth", 1.5));
    }

    @Test
    void thousandDeploymentsTimesFiveChecks() throws Exception {
        List<String> ids = new ArrayList<>();
        long setupStart = System.nanoTime();
        try (KafkaTestClient kafka = KafkaTestClient.forTestBroker()) {
            for (int d = 0; d < DEPLOYMENTS; d++) {
                String id = Deployments.newId();
                ids.add(id);
                kafka.send(Deployments.started(id, "bench-" + d, fiveChecks()));
            }
        }
        ids.forEach(Deployments::awaitWatch);
        System.out.printf("[monitor-benchmark] %d watches x 5 checks started in %.1f s%n", DEPLOYMENTS,
                (System.nanoTime() - setupStart) / 1e9);

        Map<String, Long> pushedAt = new ConcurrentHashMap<>();
        Map<String, Long> seenAt = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong requests = new AtomicLong();
        AtomicLong measurements = new AtomicLong();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://localhost:" + RestAssured.port + "/api/v1/samples");
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        try (KafkaConsumer<String, byte[]> consumer = tail()) {
            Future<?> tailing = pool.submit(() -> {
                while (running.get() || seenAt.size() < pushedAt.size()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        seenAt.putIfAbsent(EventCodec.decodeHeader(r.value()).id(), System.nanoTime());
                    }
                }
                return null;
            });
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(SECONDS).toNanos();
            List<Future<?>> clients = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int client = t;
                clients.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    for (int d = client; d < ids.size(); d += THREADS) {
                        mine.add(ids.get(d));
                    }
                    for (long n = 0; System.nanoTime() < end; n++) {
                        String id = mine.get((int) (n % mine.size()));
                        boolean bad = n % BREACH_EVERY == BREACH_EVERY - 1;
                        long before = System.nanoTime();
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json").header("Authorization", AGENT)
                                .POST(HttpRequest.BodyPublishers.ofString(batch(id, bad ? 0.05 : 0.002))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 202) {
                            throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
                        }
                        JsonNode body = EventCodec.mapper().readTree(response.body());
                        requests.incrementAndGet();
                        measurements.addAndGet(body.path("measurements").asLong());
                        body.path("breachEventIds").forEach(b -> pushedAt.put(b.asText(), before));
                    }
                    return null;
                }));
            }
            for (Future<?> c : clients) {
                c.get();
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            running.set(false);
            tailing.get(60, java.util.concurrent.TimeUnit.SECONDS);

            List<Long> micros = new ArrayList<>();
            pushedAt.forEach((id, before) -> {
                Long seen = seenAt.get(id);
                if (seen != null) {
                    micros.add((seen - before) / 1_000);
                }
            });
            Collections.sort(micros);
            assertThat(micros).as("breaches measured").isNotEmpty();
            System.out.printf("[monitor-benchmark] %d deployments x 5 checks, %d clients, %.1f s: %d POSTs "
                    + "(%.0f/s), %d samples evaluated = %.0f samples/s%n", DEPLOYMENTS, THREADS, elapsed,
                    requests.get(), requests.get() / elapsed, measurements.get(), measurements.get() / elapsed);
            System.out.printf("[monitor-benchmark] push -> ThresholdBreached on Kafka over %d breaches under that "
                    + "load: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", micros.size(), pct(micros, 50),
                    pct(micros, 90), pct(micros, 99), micros.get(micros.size() - 1) / 1000.0);
            System.out.printf("[monitor-benchmark] server side (rollwatch.monitor.sample.to.breach.latency): %s; "
                    + "cores %d, load average %s%n", RestAssured.given().when().get("/q/metrics").then().extract()
                    .asString().lines().filter(l -> l.startsWith(
                            "rollwatch_monitor_sample_to_breach_latency_seconds{quantile")).toList(),
                    Runtime.getRuntime().availableProcessors(), loadAverage());
            assertThat(micros).as("every breach reached Kafka").hasSize(pushedAt.size());
        } finally {
            running.set(false);
            pool.shutdownNow();
        }
    }

    private static double pct(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1000.0;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** A consumer at the current end of threshold-breached, polling with no batching delay. */
    private static KafkaConsumer<String, byte[]> tail() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "benchmark-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.THRESHOLD_BREACHED).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }
}
