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
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The benchmark of issues 4 and 16 — not a test of timings, and not run by a normal build (failsafe excludes it
 * unless the {@code benchmarks} profile is on). Paced, issue 16's target (1,000 deployments × 5 checks at 1 Hz):
 *
 * <pre>./mvnw -q -o -pl monitor-service verify -Pbenchmarks -Dit.test=MonitorBenchmarkIT -Dtest=none
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dbench.rate-hz=1 [-Dbench.deployments=1000 -Dbench.seconds=30
 *     -Dbench.warmup-seconds=20 -Dbench.breach-every=20 -Dbench.late-ms=100]</pre>
 *
 * <p>Both modes start {@code bench.deployments} watches with 5 push checks each (over Kafka, as the deploy service
 * does). Every {@code bench.breach-every}-th batch of a deployment carries a bad error rate, which opens a breach
 * episode (the next batch of that deployment closes it).
 *
 * <p><b>Paced</b> ({@code bench.rate-hz} &gt; 0): every deployment pushes one batch of its 5 samples
 * {@code rate-hz} times a second for {@code bench.seconds} (after {@code bench.warmup-seconds} at the same pace that
 * are not counted), the deployments spread evenly over each period, open loop (a send never waits for another's
 * answer). A benchmark that falls behind says so: sends more than {@code bench.late-ms} after their due time are
 * late, and a deployment whose previous batch is still unanswered when the next is due skips it (missed). Prints,
 * and writes to {@code monitor-service/target/benchmarks/monitor-benchmark-paced.md}, a table: intended vs achieved
 * push rate, late/missed/failed sends, POST answer times, push (before the POST) → ThresholdBreached read from Kafka
 * (p50/p95/p99/max), and the monitor's own figures from {@code /q/metrics}.
 *
 * <p><b>Unpaced</b> (the default, {@code bench.rate-hz=0}, with {@code -Dbench.threads=8}): {@code bench.threads}
 * clients push as fast as the service answers for {@code bench.seconds}, each client on its own deployments; prints
 * the samples evaluated per second and the push → ThresholdBreached distribution under that load.
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
    private static final int BREACH_EVERY = Integer.getInteger("bench.breach-every", 20);
    /** Paced mode when above 0: each deployment pushes one batch this many times a second. */
    private static final double RATE_HZ = Double.parseDouble(System.getProperty("bench.rate-hz", "0"));
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup-seconds", 20);
    private static final int LATE_MS = Integer.getInteger("bench.late-ms", 100);

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
        if (RATE_HZ > 0) {
            paced(ids);
        } else {
            unpaced(ids);
        }
    }

    /** As fast as the service answers: {@code bench.threads} clients, each on its own deployments. */
    private void unpaced(List<String> ids) throws Exception {
        Map<String, Long> pushedAt = new ConcurrentHashMap<>();
        Map<String, Long> seenAt = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong requests = new AtomicLong();
        AtomicLong measurements = new AtomicLong();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://localhost:" + RestAssured.port + "/api/v1/samples");
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        try (KafkaConsumer<String, byte[]> consumer = tail()) {
            Future<?> tailing = pool.submit(() -> tailBreaches(consumer, running, pushedAt, seenAt));
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
                        HttpResponse<String> response = http.send(request(uri, id, bad),
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
            tailing.get(60, TimeUnit.SECONDS);

            List<Long> micros = latencies(pushedAt, seenAt);
            assertThat(micros).as("breaches measured").isNotEmpty();
            System.out.printf("[monitor-benchmark] %d deployments x 5 checks, %d clients, %.1f s: %d POSTs "
                    + "(%.0f/s), %d samples evaluated = %.0f samples/s%n", DEPLOYMENTS, THREADS, elapsed,
                    requests.get(), requests.get() / elapsed, measurements.get(), measurements.get() / elapsed);
            System.out.printf("[monitor-benchmark] push -> ThresholdBreached on Kafka over %d breaches under that "
                    + "load: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", micros.size(), pct(micros, 50),
                    pct(micros, 90), pct(micros, 99), micros.get(micros.size() - 1) / 1000.0);
            System.out.printf("[monitor-benchmark] server side (rollwatch.monitor.sample.to.breach.latency): %s; "
                    + "cores %d, load average %s%n", metrics().lines().filter(l -> l.startsWith(
                            "rollwatch_monitor_sample_to_breach_latency_seconds{quantile")).toList(),
                    Runtime.getRuntime().availableProcessors(), loadAverage());
            assertThat(micros).as("every breach reached Kafka").hasSize(pushedAt.size());
        } finally {
            running.set(false);
            pool.shutdownNow();
        }
    }

    /**
     * Paced ({@code bench.rate-hz} > 0): every deployment pushes one batch of its 5 samples {@code rate-hz} times
     * a second, the deployments' sends spread evenly over each period (deployment d at d/N of it), open loop: a send
     * does not wait for the answers to others. A deployment whose previous batch is still unanswered when its next
     * one is due skips it (counted as missed: the service is a whole period behind); a send that leaves more than
     * {@code bench.late-ms} after its due time is counted as late. The first {@code bench.warmup-seconds} run at the
     * same pace and are not counted.
     */
    private void paced(List<String> ids) throws Exception {
        int n = ids.size();
        long period = Math.round(1e9 / RATE_HZ);
        long slotGap = period / n;
        long lateNanos = TimeUnit.MILLISECONDS.toNanos(LATE_MS);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).build();
        URI uri = URI.create("http://localhost:" + RestAssured.port + "/api/v1/samples");
        Map<String, Long> pushedAt = new ConcurrentHashMap<>();
        Map<String, Long> seenAt = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean[] inFlight = new AtomicBoolean[n];
        for (int d = 0; d < n; d++) {
            inFlight[d] = new AtomicBoolean();
        }
        long[] batchOf = new long[n];
        AtomicLong sent = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        AtomicLong measurements = new AtomicLong();
        AtomicLong late = new AtomicLong();
        AtomicLong missed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong inFlightNow = new AtomicLong();
        AtomicLong inFlightMax = new AtomicLong();
        List<Long> lagMicros = Collections.synchronizedList(new ArrayList<>());
        List<Long> answerMicros = Collections.synchronizedList(new ArrayList<>());
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        ExecutorService tailPool = Executors.newSingleThreadExecutor();
        String metricsBefore = metrics();
        double loadBefore = load1();
        try (KafkaConsumer<String, byte[]> consumer = tail()) {
            Future<?> tailing = tailPool.submit(() -> tailBreaches(consumer, running, pushedAt, seenAt));
            long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            long measureFrom = t0 + TimeUnit.SECONDS.toNanos(WARMUP_SECONDS);
            long end = measureFrom + TimeUnit.SECONDS.toNanos(SECONDS);
            long slots = (end - t0) / period * n;
            for (long slot = 0; slot < slots; slot++) {
                long due = t0 + (slot / n) * period + (slot % n) * slotGap;
                long now = System.nanoTime();
                while (now < due) {
                    LockSupport.parkNanos(due - now);
                    now = System.nanoTime();
                }
                int d = (int) (slot % n);
                boolean measured = due >= measureFrom;
                long batch = batchOf[d]++;
                if (!inFlight[d].compareAndSet(false, true)) {
                    if (measured) {
                        missed.incrementAndGet();
                    }
                    continue;
                }
                // Every BREACH_EVERY-th batch of a deployment is bad (phase-shifted per deployment, so the breaches
                // are spread over the period too); the deployment's next batch closes the episode.
                boolean bad = (batch + d) % BREACH_EVERY == BREACH_EVERY - 1;
                long before = System.nanoTime();
                if (measured) {
                    sent.incrementAndGet();
                    lagMicros.add((before - due) / 1_000);
                    if (before - due > lateNanos) {
                        late.incrementAndGet();
                    }
                }
                inFlightMax.accumulateAndGet(inFlightNow.incrementAndGet(), Math::max);
                http.sendAsync(request(uri, ids.get(d), bad), HttpResponse.BodyHandlers.ofString())
                        .whenComplete((response, failure) -> {
                            long after = System.nanoTime();
                            inFlightNow.decrementAndGet();
                            inFlight[d].set(false);
                            if (failure != null || response.statusCode() != 202) {
                                failed.incrementAndGet();
                                errors.add(failure != null ? failure.toString()
                                        : "HTTP " + response.statusCode() + ": " + response.body());
                                return;
                            }
                            if (!measured) {
                                return;
                            }
                            answered.incrementAndGet();
                            answerMicros.add((after - before) / 1_000);
                            try {
                                JsonNode body = EventCodec.mapper().readTree(response.body());
                                measurements.addAndGet(body.path("measurements").asLong());
                                body.path("breachEventIds").forEach(b -> pushedAt.put(b.asText(), before));
                            } catch (Exception e) {
                                errors.add(e.toString());
                            }
                        });
            }
            double elapsed = (System.nanoTime() - measureFrom) / 1e9;
            await().atMost(Duration.ofSeconds(60)).until(() -> inFlightNow.get() == 0);
            running.set(false);
            tailing.get(60, TimeUnit.SECONDS);
            String metricsAfter = metrics();

            List<Long> micros = latencies(pushedAt, seenAt);
            List<Long> lags = sorted(lagMicros);
            List<Long> answers = sorted(answerMicros);
            long intended = (long) SECONDS * n * Math.round(RATE_HZ);
            String table = pacedTable(n, elapsed, intended, sent.get(), answered.get(), measurements.get(),
                    late.get(), missed.get(), failed.get(), inFlightMax.get(), lags, answers, micros,
                    pushedAt.size(), metricsBefore, metricsAfter, loadBefore);
            System.out.println(table);
            Path out = Path.of("target", "benchmarks");
            Files.createDirectories(out);
            Files.writeString(out.resolve("monitor-benchmark-paced.md"), table);
            assertThat(errors).as("failed pushes").isEmpty();
            assertThat(micros).as("breaches measured").isNotEmpty();
            assertThat(micros).as("every breach reached Kafka").hasSize(pushedAt.size());
        } finally {
            running.set(false);
            tailPool.shutdownNow();
        }
    }

    private static String pacedTable(int n, double elapsed, long intended, long sent, long answered,
            long measurements, long late, long missed, long failed, long inFlightMax, List<Long> lags,
            List<Long> answers, List<Long> breaches, int breachesPushed, String before, String after,
            double loadBefore) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "## Monitor benchmark, paced: %d deployments x 5 checks at %s Hz, %d s "
                + "(after %d s warm-up), 1 batch in %d bad%n%n", n, fmt(RATE_HZ), SECONDS, WARMUP_SECONDS, BREACH_EVERY));
        md.append("| figure | value |\n|---|---|\n");
        md.append(String.format(Locale.ROOT, "| pushes intended | %d batches (%.0f/s, %.0f samples/s) |%n", intended,
                intended / (double) SECONDS, 5.0 * intended / SECONDS));
        md.append(String.format(Locale.ROOT, "| pushes sent / answered 202 | %d / %d (**%.0f/s**, %.2f of the "
                + "intended rate; %d samples evaluated = %.0f samples/s) |%n", sent, answered, answered / elapsed,
                answered / (intended / (double) SECONDS) / elapsed, measurements, measurements / elapsed));
        md.append(String.format(Locale.ROOT, "| late sends (> %d ms after due) / missed (previous batch of the "
                + "deployment still unanswered) / failed | %d / %d / %d |%n", LATE_MS, late, missed, failed));
        md.append(String.format(Locale.ROOT, "| send lag behind schedule | p50 %s, p99 %s, max %s |%n",
                ms(lags, 50), ms(lags, 99), ms(lags, 100)));
        md.append(String.format(Locale.ROOT, "| POST answered (202) | p50 %s, p95 %s, p99 %s, max %s; at most %d "
                + "in flight |%n", ms(answers, 50), ms(answers, 95), ms(answers, 99), ms(answers, 100), inFlightMax));
        md.append(String.format(Locale.ROOT, "| **push (before the POST) → ThresholdBreached read from Kafka**, %d "
                + "of %d breaches | **p50 %s, p95 %s, p99 %s**, max %s |%n", breaches.size(), breachesPushed,
                ms(breaches, 50), ms(breaches, 95), ms(breaches, 99), ms(breaches, 100)));
        md.append(String.format(Locale.ROOT, "| monitor: sample received → breach committed and handed to the "
                + "producer (`rollwatch.monitor.sample.to.breach.latency`, last minutes) | %s |%n",
                quantiles(after, "rollwatch_monitor_sample_to_breach_latency_seconds")));
        md.append(String.format(Locale.ROOT, "| monitor: outbox → broker ack (`rollwatch.outbox.publish.latency`) "
                + "| %s |%n", quantiles(after, "rollwatch_outbox_publish_latency_seconds")));
        md.append(String.format(Locale.ROOT, "| monitor: `POST /api/v1/samples` handled (`http.server.requests`, "
                + "mean over the run) | %s |%n", httpMean(before, after)));
        md.append(String.format(Locale.ROOT, "| load average (1 min) before / after; cores | %.2f / %.2f; %d |%n",
                loadBefore, load1(), Runtime.getRuntime().availableProcessors()));
        md.append(String.format(Locale.ROOT, "%nThe service, the embedded broker and this load generator share one "
                + "JVM; PostgreSQL is its own process. Command: `./mvnw -q -o -pl monitor-service verify -Pbenchmarks "
                + "-Dit.test=MonitorBenchmarkIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false "
                + "-Dbench.rate-hz=%s -Dbench.deployments=%d -Dbench.seconds=%d -Dbench.warmup-seconds=%d "
                + "-Dbench.breach-every=%d`%n", fmt(RATE_HZ), n, SECONDS, WARMUP_SECONDS, BREACH_EVERY));
        return md.toString();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static String ms(List<Long> sortedMicros, int p) {
        return sortedMicros.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f ms", pct(sortedMicros, p));
    }

    /** The published quantiles of a timer, as "p50 x ms, ...", from the Prometheus text. */
    private static String quantiles(String metrics, String name) {
        List<String> parts = new ArrayList<>();
        for (String line : metrics.lines().filter(l -> l.startsWith(name + "{") && l.contains("quantile=\""))
                .toList()) {
            String q = line.replaceAll(".*quantile=\"([^\"]+)\".*", "$1");
            double seconds = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            parts.add(String.format(Locale.ROOT, "p%s %.1f ms", fmt(Double.parseDouble(q) * 100), seconds * 1000));
        }
        return parts.isEmpty() ? "not published" : String.join(", ", parts);
    }

    /** The mean handling time of POST /api/v1/samples between two scrapes. */
    private static String httpMean(String before, String after) {
        double[] b = httpCountSum(before);
        double[] a = httpCountSum(after);
        double count = a[0] - b[0];
        return count <= 0 ? "not published" : String.format(Locale.ROOT, "%.1f ms over %.0f requests",
                (a[1] - b[1]) / count * 1000, count);
    }

    private static double[] httpCountSum(String metrics) {
        double[] cs = new double[2];
        metrics.lines().filter(l -> l.startsWith("http_server_requests_seconds_")
                && l.contains("uri=\"/api/v1/samples\"") && l.contains("status=\"202\"")).forEach(l -> {
                    double v = Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                    if (l.startsWith("http_server_requests_seconds_count")) {
                        cs[0] += v;
                    } else if (l.startsWith("http_server_requests_seconds_sum")) {
                        cs[1] += v;
                    }
                });
        return cs;
    }

    private static HttpRequest request(URI uri, String id, boolean bad) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json").header("Authorization", AGENT)
                .POST(HttpRequest.BodyPublishers.ofString(batch(id, bad ? 0.05 : 0.002))).build();
    }

    private static Object tailBreaches(KafkaConsumer<String, byte[]> consumer, AtomicBoolean running,
            Map<String, Long> pushedAt, Map<String, Long> seenAt) {
        while (running.get() || !seenAt.keySet().containsAll(pushedAt.keySet())) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                seenAt.putIfAbsent(EventCodec.decodeHeader(r.value()).id(), System.nanoTime());
            }
        }
        return null;
    }

    /** Push → seen on Kafka of every pushed breach that was seen, in microseconds, sorted. */
    private static List<Long> latencies(Map<String, Long> pushedAt, Map<String, Long> seenAt) {
        List<Long> micros = new ArrayList<>();
        pushedAt.forEach((id, before) -> {
            Long seen = seenAt.get(id);
            if (seen != null) {
                micros.add((seen - before) / 1_000);
            }
        });
        Collections.sort(micros);
        return micros;
    }

    private static List<Long> sorted(List<Long> values) {
        List<Long> copy;
        synchronized (values) {
            copy = new ArrayList<>(values);
        }
        Collections.sort(copy);
        return copy;
    }

    private static String metrics() {
        return RestAssured.given().when().get("/q/metrics").then().extract().asString();
    }

    private static double load1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private static double pct(List<Long> sorted, int p) {
        if (p >= 100) {
            return sorted.get(sorted.size() - 1) / 1000.0;
        }
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
