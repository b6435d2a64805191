package dev.rollwatch.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole stack's speed on this machine — not a test: nothing is asserted about timing. Run with
 * {@code mvn -q -pl system-tests verify -Pbenchmarks -Dit.test=StackBenchmarkIT}; it prints a table and writes it
 * to {@code system-tests/target/benchmarks/stack-benchmark.md}.
 *
 * <ol>
 *   <li>Detection to rollback, over {@code bench.breaches} (30) breaches in turn: a breaching sample pushed to the
 *       monitor → {@code RollbackRequested} read from Kafka → demo-target receiving the rollback call (its
 *       {@code receivedAt}).</li>
 *   <li>Throughput: {@code bench.deployments} (30) concurrent deployments, a third bad, through the same
 *       25% → analysis ({@code bench.analysis-seconds}, 40) → 100% strategy the system tests use, judged by
 *       the scrape provider: deployments per minute from the first POST to the last terminal state.</li>
 *   <li>RSS of every process at rest (after start-up) and the peak under that load (sampled every 2 s).</li>
 * </ol>
 */
class StackBenchmarkIT {

    @Test
    void stackBenchmark() throws Exception {
        int breaches = Integer.getInteger("bench.breaches", 30);
        int deployments = Integer.getInteger("bench.deployments", 30);
        int analysisSeconds = Integer.getInteger("bench.analysis-seconds", 40);
        // Hundreds of changes from one identity: not what the per-identity rate limit is for.
        System.setProperty(Stack.NO_RATE_LIMIT, "true");
        Stack stack = Stack.shared();
        Map<String, Long> atRest = stack.rssKb();

        List<long[]> latencies = detectionToRollback(stack, breaches);

        Map<String, Long> peak = new LinkedHashMap<>(atRest);
        peak.replaceAll((k, v) -> 0L);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> stack.rssKb().forEach((k, v) -> peak.merge(k, v, Math::max)),
                0, 2, TimeUnit.SECONDS);
        Ledger ledger = new Ledger(stack, analysisSeconds);
        long started = System.nanoTime();
        ledger.submitConcurrently("bench", deployments, 3, 10);
        ledger.drain(Duration.ofMinutes(10));
        double minutes = (System.nanoTime() - started) / 60e9;
        sampler.shutdown();
        sampler.awaitTermination(10, TimeUnit.SECONDS);

        String table = report(latencies, breaches, deployments, analysisSeconds, minutes, atRest, peak);
        System.out.println(table);
        Path out = Path.of(System.getProperty("rollwatch.root", "..")).resolve("system-tests/target/benchmarks");
        Files.createDirectories(out);
        Files.writeString(out.resolve("stack-benchmark.md"), table);
    }

    /**
     * Per breach: {push → RollbackRequested on Kafka, push → target received the rollback} in ms. The check is P0,
     * the runbooks' immediate row (a P1 asks an operator since issue 15): the millisecond path is what is measured.
     */
    private static List<long[]> detectionToRollback(Stack stack, int breaches) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < breaches; i++) {
            Http.Reply created = Http.post(stack.url("deploy-service", "/api/v1/deployments"), """
                    {"service": "latency-%s-%d", "environment": "production", "version": "3.0.0",
                     "previousVersion": "2.9.0", "target": {"type": "http", "url": "%s"},
                     "strategy": {"steps": [{"setWeight": 5}, {"pause": {}}, {"setWeight": 100}]},
                     "analysis": {"checks": [{"name": "error-rate", "provider": "push", "metric": "error_rate",
                                              "max": 0.01, "failureLimit": 1, "severity": "P0"}]}}"""
                    .formatted(run, i, stack.url("demo-target", "")));
            assertThat(created.status()).as(created.body().toString()).isEqualTo(202);
            ids.add(created.body().get("id").asText());
        }
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String id : ids) {
                assertThat(Http.get(stack.url("deploy-service", "/api/v1/deployments/" + id)).body().path("status")
                        .asText()).isEqualTo("AWAITING_APPROVAL");
                assertThat(Http.get(stack.url("monitor-service", "/api/v1/deployments/" + id + "/analysis")).status())
                        .isEqualTo(200);
            }
        });

        Map<String, Long> requestedAt = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread reader = new Thread(() -> readRollbackRequests(stack.kafka().bootstrap(), requestedAt, stop));
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> requestedAt.containsKey("ready"));
            List<long[]> latencies = new ArrayList<>();
            for (String id : ids) {
                long pushed = System.currentTimeMillis();
                Http.Reply samples = Http.post(stack.url("monitor-service", "/api/v1/samples"),
                        "{\"deploymentId\": \"" + id + "\", \"samples\": [{\"metric\": \"error_rate\", \"value\": 0.5}]}");
                assertThat(samples.status()).as(samples.body().toString()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                        .until(() -> requestedAt.containsKey(id));
                long[] rollbackReceived = new long[1];
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    for (JsonNode c : Http.get(stack.url("demo-target", "/rollwatch/v1/calls?deploymentId=" + id)).body()) {
                        if ("rollback".equals(c.get("kind").asText().toLowerCase(Locale.ROOT))) {
                            rollbackReceived[0] = Instant.parse(c.get("receivedAt").asText()).toEpochMilli();
                            return true;
                        }
                    }
                    return false;
                });
                latencies.add(new long[] {requestedAt.get(id) - pushed, rollbackReceived[0] - pushed});
            }
            return latencies;
        } finally {
            stop.set(true);
            reader.join(10_000);
        }
    }

    /** Reads rollback-requested from its current end, noting when each deployment's first request arrived. */
    private static void readRollbackRequests(String bootstrap, Map<String, Long> seen, AtomicBoolean stop) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(Topics.ROLLBACK_REQUESTED, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            seen.put("ready", System.currentTimeMillis());
            while (!stop.get()) {
                consumer.poll(Duration.ofMillis(20)).forEach(r -> {
                    long now = System.currentTimeMillis();
                    seen.putIfAbsent(r.key(), now);
                });
            }
        }
    }

    private static String report(List<long[]> latencies, int breaches, int deployments, int analysisSeconds,
            double minutes, Map<String, Long> atRest, Map<String, Long> peak) {
        List<Long> toRequest = latencies.stream().map(l -> l[0]).sorted().toList();
        List<Long> toTarget = latencies.stream().map(l -> l[1]).sorted().toList();
        StringBuilder md = new StringBuilder();
        md.append("## Stack benchmark (").append(Instant.now()).append(")\n\n");
        md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, load average ")
                .append(loadAverage()).append(" at the end of the run.\n\n");
        md.append("| detection to rollback, ").append(breaches).append(" breaches in turn | p50 | p95 | p99 | max |\n");
        md.append("|---|---|---|---|---|\n");
        md.append(row("sample pushed → `RollbackRequested` read from Kafka", toRequest));
        md.append(row("sample pushed → demo-target received the rollback call", toTarget));
        md.append("\nIn the order measured (ms, pushed → `RollbackRequested` / → target told): ")
                .append(latencies.stream().map(l -> l[0] + "/" + l[1]).collect(Collectors.joining(", ")))
                .append("\n");
        md.append("\n| throughput | value |\n|---|---|\n");
        md.append(String.format(Locale.ROOT, "| %d concurrent deployments (a third bad; 25%% → analysis %ds → 100%%), "
                        + "first POST → last terminal state | %.1f min, **%.1f deployments/min** |%n",
                deployments, analysisSeconds, minutes, deployments / minutes));
        md.append("\n| process | RSS at rest (MB) | peak RSS under load (MB) |\n|---|---|---|\n");
        atRest.forEach((name, kb) -> md.append(String.format(Locale.ROOT, "| %s | %d | %d |%n", name, kb / 1024,
                peak.getOrDefault(name, -1L) / 1024)));
        long rest = atRest.values().stream().mapToLong(Long::longValue).sum();
        long load = peak.values().stream().mapToLong(Long::longValue).sum();
        md.append(String.format(Locale.ROOT, "| **total** | %d | %d |%n", rest / 1024, load / 1024));
        return md.toString();
    }

    private static String row(String what, List<Long> sorted) {
        return String.format(Locale.ROOT, "| %s | %d ms | %d ms | %d ms | %d ms |%n", what, pct(sorted, 50),
                pct(sorted, 95), pct(sorted, 99), sorted.get(sorted.size() - 1));
    }

    private static long pct(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
