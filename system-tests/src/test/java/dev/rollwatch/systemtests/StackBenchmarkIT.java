package dev.rollwatch.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
import java.util.Objects;
import java.util.TreeMap;
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
 *       {@code receivedAt}). Each breach meets a settled stack: the next one is pushed once the previous deployment
 *       is ROLLED_BACK and at least {@code bench.breach-gap-ms} (1000) have passed since its rollback began, so that it
 *       does not share the two cores with the previous rollback's tail (its completion, notifications, audit); the
 *       first one at least that long after the last deployment reached its pause (their starts' tail). With
 *       {@code bench.breach-gap-ms=0} they go back to back, as before 2026-12-07.</li>
 *   <li>Throughput: {@code bench.deployments} (30) concurrent deployments, a third bad, through the same
 *       25% → analysis ({@code bench.analysis-seconds}, 40) → 100% strategy the system tests use, judged by
 *       the scrape provider: deployments per minute from the first POST to the last terminal state, each within
 *       {@code bench.drain-minutes} (10). A bad version's P1 check breach is decided CONDITIONAL by the runbooks
 *       (an operator decides within 15 minutes): an {@link Operator} answers those with ROLLBACK while the load runs,
 *       as an on-call would, and the table says which deployments it rolled back — apart from detection → rollback,
 *       which counts Rollwatch's own rollbacks only. Then, as in {@code ConcurrentDeploymentsIT}: every deployment
 *       ended as it should, one {@code RollbackRequested} and one rollback call at demo-target per bad one.</li>
 *   <li>Memory of every process at rest (after start-up) and its peak under that load (sampled every 2 s): RSS, and PSS,
 *       which counts a page shared by several processes once (what the stack occupies together).</li>
 * </ol>
 */
class StackBenchmarkIT {

    @Test
    void stackBenchmark() throws Exception {
        int breaches = Integer.getInteger("bench.breaches", 30);
        int breachGapMs = Integer.getInteger("bench.breach-gap-ms", 1000);
        int deployments = Integer.getInteger("bench.deployments", 30);
        int analysisSeconds = Integer.getInteger("bench.analysis-seconds", 40);
        int drainMinutes = Integer.getInteger("bench.drain-minutes", 10);
        // Hundreds of changes from one identity: not what the per-identity rate limit is for.
        System.setProperty(Stack.NO_RATE_LIMIT, "true");
        Stack stack = Stack.shared();
        Map<String, Long> atRest = stack.rssKb();
        Map<String, Long> pssAtRest = stack.pssKb();

        List<Hops> latencies = detectionToRollback(stack, breaches, breachGapMs);
        String consumerDelays = consumerDelays(stack);

        Memory memory = new Memory();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> memory.sample(stack.rssKb(), stack.pssKb()), 0, 2, TimeUnit.SECONDS);
        // The monitor's timers publish percentiles over the last two minutes only: sampled during the load, so that
        // the burst's figures are still seen at the end.
        MetricPeaks monitorPeaks = new MetricPeaks(stack, "monitor-service");
        sampler.scheduleAtFixedRate(monitorPeaks::sample, 5, 5, TimeUnit.SECONDS);
        Map<String, Long> cpuBefore = stack.cpuMillis();
        long started = System.nanoTime();
        long finished = started;
        String operated = "";
        Throwable failed = null;
        if (deployments > 0) {
            Ledger ledger = new Ledger(stack, analysisSeconds);
            Operator operator = new Operator(stack, ledger, OPERATOR_POLL);
            try {
                ledger.submitConcurrently("bench", deployments, 3, 10);
                ledger.drain(Duration.ofMinutes(drainMinutes));
                finished = System.nanoTime();
                sampler.shutdown();
                ledger.assertOneRollbackRequestedEach();
                ledger.assertTargetCalls();
            } catch (Exception | AssertionError e) {
                // The figures of a run that did not drain are still what the next fix is measured against.
                finished = System.nanoTime();
                failed = e;
            } finally {
                operator.close();
                System.out.println("[benchmark operator] its answers, by reply: " + operator.replies());
                operator.trouble().forEach(t -> System.out.println("[benchmark operator] " + t));
            }
            operated = operatorReport(operator.rollbacks(ledger.deployments()), operator.replies());
        }
        double minutes = (finished - started) / 60e9;
        String cpu = deployments > 0 ? cpuReport(cpuBefore, stack.cpuMillis(), finished - started) : "";
        sampler.shutdown();
        sampler.awaitTermination(10, TimeUnit.SECONDS);

        String table = report(latencies, breaches, breachGapMs, deployments, analysisSeconds, minutes, operated)
                + (failed == null ? "" : "\n**The throughput load did not complete:** " + failed.getMessage() + "\n")
                + memory.report(atRest, pssAtRest) + cpu + consumerDelays + monitorPolling(monitorPeaks)
                + jvmMemory(monitorPeaks);
        System.out.println(table);
        Path out = Path.of(System.getProperty("rollwatch.root", "..")).resolve("system-tests/target/benchmarks");
        Files.createDirectories(out);
        Files.writeString(out.resolve("stack-benchmark.md"), table);
        if (failed instanceof Exception e) {
            throw e;
        } else if (failed != null) {
            throw (AssertionError) failed;
        }
    }

    /**
     * Where the machine's cores went during the throughput load: each process's CPU time (user + system, from
     * {@code /proc}) from the first POST to the end of the drain, and its share of what the cores could give in that
     * time. PostgreSQL is the postmaster and its backends alive at the end.
     */
    private static String cpuReport(Map<String, Long> before, Map<String, Long> after, long wallNanos) {
        double capacity = Runtime.getRuntime().availableProcessors() * wallNanos / 1e6;
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%n| CPU during the throughput load (%.0f s "
                + "on %d cores) | CPU s | share of the cores |%n|---|---|---|%n", wallNanos / 1e9,
                Runtime.getRuntime().availableProcessors()));
        long total = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            Long was = before.get(e.getKey());
            if (was == null || was < 0 || e.getValue() < 0) {
                md.append("| ").append(e.getKey()).append(" | – | – |\n");
                continue;
            }
            long used = Math.max(0, e.getValue() - was);
            total += used;
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f %% |%n", e.getKey(), used / 1000.0,
                    100 * used / capacity));
        }
        md.append(String.format(Locale.ROOT, "| **all of them** | %.1f | %.0f %% |%n", total / 1000.0,
                100 * total / capacity));
        return md.toString();
    }

    /**
     * Memory under the load, sampled every 2 s: each process's peak RSS and PSS, and the peak of the whole stack's
     * sum in one sample (summed RSS counts shared pages once per process — PostgreSQL's shared buffers in each
     * backend — so the stack's figure to hold against its goal is the PSS sum).
     */
    static final class Memory {
        final Map<String, Long> rss = new java.util.concurrent.ConcurrentHashMap<>();
        final Map<String, Long> pss = new java.util.concurrent.ConcurrentHashMap<>();
        volatile long rssTotal;
        volatile long pssTotal;

        void sample(Map<String, Long> rssNow, Map<String, Long> pssNow) {
            rssNow.forEach((k, v) -> rss.merge(k, v, Math::max));
            pssNow.forEach((k, v) -> pss.merge(k, v, Math::max));
            rssTotal = Math.max(rssTotal, rssNow.values().stream().mapToLong(v -> Math.max(0, v)).sum());
            pssTotal = Math.max(pssTotal, pssNow.values().stream().mapToLong(v -> Math.max(0, v)).sum());
        }

        String report(Map<String, Long> atRest, Map<String, Long> pssAtRest) {
            StringBuilder md = new StringBuilder("\n| process | RSS at rest (MB) | peak RSS under load (MB) "
                    + "| PSS at rest (MB) | peak PSS under load (MB) |\n|---|---|---|---|---|\n");
            atRest.forEach((name, kb) -> md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d |%n", name,
                    kb / 1024, rss.getOrDefault(name, -1024L) / 1024, pssAtRest.getOrDefault(name, -1024L) / 1024,
                    pss.getOrDefault(name, -1024L) / 1024)));
            md.append(String.format(Locale.ROOT, "| **the stack** (at rest: the sum; under load: the largest sum in "
                            + "one sample) | %d | %d | %d | %d |%n",
                    atRest.values().stream().mapToLong(Long::longValue).sum() / 1024, rssTotal / 1024,
                    pssAtRest.values().stream().mapToLong(Long::longValue).sum() / 1024, pssTotal / 1024));
            return md.toString();
        }
    }

    /**
     * How often the benchmark's operator looks for CONDITIONAL decisions to answer: a person on call answers in
     * minutes, this in seconds, so that the run's end is set by Rollwatch, not by the runbooks' 15-minute deadline.
     */
    static final Duration OPERATOR_POLL = Duration.ofSeconds(2);

    /** The hops of one breach, each an epoch-millisecond instant on this machine's clock (0: not seen). */
    record Hops(long pushed, long breachCreated, long breachSent, long decided, long requestSent, long requestRead,
            long rollbackBegun, long targetTold) {

        long toRequest() {
            return requestRead - pushed;
        }

        long toTarget() {
            return targetTold - pushed;
        }
    }

    /** The stages between two hops, in the order a breach passes them, as the breakdown table names them. */
    static final List<Map.Entry<String, java.util.function.ToLongFunction<Hops>>> STAGES = List.of(
            Map.entry("push → `ThresholdBreached` created (monitor: HTTP in, evaluate; the event's `time`)",
                    h -> h.breachCreated() - h.pushed()),
            Map.entry("→ handed to the producer (monitor: commit, outbox hand-off; the record's timestamp)",
                    h -> h.breachSent() - h.breachCreated()),
            Map.entry("→ `RollbackRequested` created (broker, rollback-service poll, inbox claim, decide)",
                    h -> h.decided() - h.breachSent()),
            Map.entry("→ handed to the producer (rollback-service: commit, outbox hand-off)",
                    h -> h.requestSent() - h.decided()),
            Map.entry("→ read from Kafka by the benchmark (broker ack and fetch)",
                    h -> h.requestRead() - h.requestSent()),
            Map.entry("`RollbackRequested` sent → rollback begun (deploy-service: poll, claim, lock; its `StepCompleted`)",
                    h -> h.rollbackBegun() - h.requestSent()),
            Map.entry("→ demo-target received the rollback call (deploy-service: wake, lease, driver call)",
                    h -> h.targetTold() - h.rollbackBegun()));

    /**
     * Per breach, every hop: a breaching sample pushed to the monitor, the {@code ThresholdBreached} it raised (the
     * CloudEvents {@code time} set in the monitor's transaction, the Kafka record's timestamp set when the outbox
     * handed it to the producer), the {@code RollbackRequested} likewise, the moment the benchmark read it, the
     * {@code StepCompleted} that deploy-service wrote when it began the rollback, and demo-target's
     * {@code receivedAt} of the rollback call. All processes run on this machine, so their clocks are one. The check
     * is P0, the runbooks' immediate row (a P1 asks an operator since issue 15): the millisecond path is measured.
     */
    private static List<Hops> detectionToRollback(Stack stack, int breaches, int gapMs) throws Exception {
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

        Map<String, long[]> seen = new ConcurrentHashMap<>();
        AtomicBoolean ready = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        Thread reader = new Thread(() -> readHops(stack.kafka().bootstrap(), seen, ready, stop));
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(30)).untilTrue(ready);
            if (gapMs > 0) {
                // The first breach too meets a settled stack: at least gapMs after the last of the deployments
                // reached its pause (their starts' tail: notifications, audit entries, the monitor's watches).
                await().pollDelay(Duration.ofMillis(gapMs)).atMost(Duration.ofMillis(gapMs + 1_000)).until(() -> true);
            }
            List<Hops> hops = new ArrayList<>();
            for (String id : ids) {
                long pushed = System.currentTimeMillis();
                Http.Reply samples = Http.post(stack.url("monitor-service", "/api/v1/samples"),
                        "{\"deploymentId\": \"" + id + "\", \"samples\": [{\"metric\": \"error_rate\", \"value\": 0.5}]}");
                assertThat(samples.status()).as(samples.body().toString()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                        .until(() -> seen.containsKey(id) && seen.get(id)[REQUEST_READ] != 0);
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
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                        .until(() -> seen.get(id)[ROLLBACK_BEGUN] != 0);
                long[] t = seen.get(id);
                if (hops.size() < 3) {
                    System.out.printf("[bench] breach %d: RollbackRequested's record timestamp -> the benchmark's poll"
                            + " returned it %d ms, -> read %d ms%n", hops.size() + 1, t[REQUEST_POLLED] - t[REQUEST_SENT],
                            t[REQUEST_READ] - t[REQUEST_SENT]);
                }
                hops.add(new Hops(pushed, t[BREACH_CREATED], t[BREACH_SENT], t[DECIDED], t[REQUEST_SENT],
                        t[REQUEST_READ], t[ROLLBACK_BEGUN], rollbackReceived[0]));
                if (gapMs > 0) {
                    // Settled: at least gapMs since the rollback began (its tail: completion, notifications, audit),
                    // and the deployment ROLLED_BACK.
                    await().pollDelay(Duration.ofMillis(gapMs)).pollInterval(Duration.ofMillis(100))
                            .atMost(Duration.ofSeconds(60)).until(() -> "ROLLED_BACK".equals(Http.get(
                                    stack.url("deploy-service", "/api/v1/deployments/" + id)).body().path("status")
                                    .asText()));
                }
            }
            return hops;
        } finally {
            stop.set(true);
            reader.join(10_000);
        }
    }

    private static final int BREACH_CREATED = 0;
    private static final int BREACH_SENT = 1;
    private static final int DECIDED = 2;
    private static final int REQUEST_SENT = 3;
    private static final int REQUEST_READ = 4;
    private static final int ROLLBACK_BEGUN = 5;
    /** When the benchmark's poll returned the rollback request (a diagnostic of its own reader, printed per breach). */
    private static final int REQUEST_POLLED = 6;

    /**
     * Reads threshold-breached, rollback-requested and step-completed from their current ends, noting per
     * deployment (the record key) the first of each: the event's {@code time}, the record's timestamp and, for the
     * rollback request, when it was read.
     */
    private static void readHops(String bootstrap, Map<String, long[]> seen, AtomicBoolean ready, AtomicBoolean stop) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.THRESHOLD_BREACHED, Topics.ROLLBACK_REQUESTED, Topics.STEP_COMPLETED)) {
                for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(p.topic(), p.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            ready.set(true);
            while (!stop.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(20));
                long polled = System.currentTimeMillis();
                records.forEach(r -> {
                    long now = System.currentTimeMillis();
                    if (r.key() == null) {
                        return;
                    }
                    long[] t = seen.computeIfAbsent(r.key(), k -> new long[7]);
                    long created = eventTime(r.value());
                    switch (r.topic()) {
                        case Topics.THRESHOLD_BREACHED -> {
                            if (t[BREACH_CREATED] == 0) {
                                t[BREACH_CREATED] = created;
                                t[BREACH_SENT] = r.timestamp();
                            }
                        }
                        case Topics.ROLLBACK_REQUESTED -> {
                            if (t[DECIDED] == 0) {
                                t[DECIDED] = created;
                                t[REQUEST_SENT] = r.timestamp();
                                t[REQUEST_READ] = now;
                                t[REQUEST_POLLED] = polled;
                            }
                        }
                        default -> {
                            if (t[ROLLBACK_BEGUN] == 0) {
                                t[ROLLBACK_BEGUN] = created;
                            }
                        }
                    }
                });
            }
        }
    }

    /**
     * The two Kafka hops of the breach path as the consuming services measured them after the breaches
     * ({@code ConsumerTiming}: record timestamp → poll, poll → handler), p50 and p99 per hop and the maximum.
     */
    private static String consumerDelays(Stack stack) throws Exception {
        StringBuilder md = new StringBuilder("\n| Kafka hop, as the consumer measured it (all records since start) "
                + "| fetch p50 | fetch p99 | fetch max | dispatch p50 | dispatch p99 | dispatch max |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (String[] hop : List.of(new String[] {"rollback-service", Topics.THRESHOLD_BREACHED},
                new String[] {"deploy-service", Topics.ROLLBACK_REQUESTED})) {
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(stack.url(hop[0], "/q/metrics"))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            md.append("| `").append(hop[1]).append("` → ").append(hop[0]);
            for (String name : List.of("rollwatch_kafka_fetch_delay_seconds", "rollwatch_kafka_dispatch_delay_seconds")) {
                for (String q : List.of("{topic=\"" + hop[1] + "\",quantile=\"0.5\"}",
                        "{topic=\"" + hop[1] + "\",quantile=\"0.99\"}", "_max{topic=\"" + hop[1] + "\"}")) {
                    String key = name + q;
                    md.append(" | ").append(metricMs(metrics, key));
                }
            }
            md.append(" |\n");
        }
        md.append("\n| inside the services, their own timers (all since start) | n | mean | p50 | p99 | max |\n"
                + "|---|---|---|---|---|---|\n");
        for (String[] timer : List.of(
                new String[] {"monitor-service", "rollwatch_monitor_sample_to_breach_latency_seconds",
                        "monitor: sample received → breach committed (HTTP handler: token, evaluation, transaction)"},
                new String[] {"monitor-service", "rollwatch_outbox_publish_latency_seconds",
                        "monitor: committed → acknowledged by Kafka (outbox hand-off, producer, broker; every event)"},
                new String[] {"rollback-service", "rollwatch_rollback_breach_commit_latency_seconds",
                        "rollback-service: breach handed to the handler → decision committed (inbox, decision, outbox)"},
                new String[] {"rollback-service", "rollwatch_outbox_publish_latency_seconds",
                        "rollback-service: committed → acknowledged by Kafka (every event)"})) {
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(stack.url(timer[0], "/q/metrics"))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            md.append("| ").append(timer[2]).append(" | ").append(metricValue(metrics, timer[1] + "_count"))
                    .append(" | ").append(meanOf(metrics, timer[1], ""));
            for (String q : List.of("{quantile=\"0.5\"}", "{quantile=\"0.99\"}", "_max")) {
                md.append(" | ").append(metricMs(metrics, timer[1] + q));
            }
            md.append(" |\n");
        }
        return md.toString();
    }

    /**
     * The largest value each line of a service's {@code /q/metrics} showed in any sample (the percentiles and maxima
     * of a timer cover only its last two minutes), and the last sample (whose counts and sums run since start).
     */
    static final class MetricPeaks {
        private final Stack stack;
        private final String service;
        private final Map<String, Double> peaks = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile String last = "";

        MetricPeaks(Stack stack, String service) {
            this.stack = stack;
            this.service = service;
        }

        void sample() {
            try {
                String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(stack.url(service, "/q/metrics"))).timeout(Duration.ofSeconds(5)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                for (String line : metrics.split("\n")) {
                    int space = line.lastIndexOf(' ');
                    if (!line.startsWith("#") && space > 0) {
                        peaks.merge(line.substring(0, space), Double.parseDouble(line.substring(space + 1)), Math::max);
                    }
                }
                last = metrics;
            } catch (Exception | Error e) {
                // a sample missed under load: the next one counts
            }
        }

        String peakMs(String key) {
            Double value = peaks.get(key);
            return value == null ? "–" : String.format(Locale.ROOT, "%.1f ms", value * 1000);
        }

        /** The mean since start (ms) of a timer, from the last sample's sum and count. */
        String meanMs(String timer) {
            String count = metricValue(last, timer + "_count");
            String sum = metricValue(last, timer + "_sum");
            if ("–".equals(count) || "–".equals(sum) || Double.parseDouble(count) == 0) {
                return "–";
            }
            return String.format(Locale.ROOT, "%.1f ms", Double.parseDouble(sum) / Double.parseDouble(count) * 1000);
        }
    }

    /**
     * How the monitor's poll workers kept up under the throughput load and how long the deployment events waited
     * before its consumers handled them (a step opens in the monitor when its {@code StepStarted} is handled): the
     * mean since start, and the largest p50, p99 and maximum seen in any 5 s sample during the load.
     */
    private static String monitorPolling(MetricPeaks m) {
        m.sample();
        StringBuilder md = new StringBuilder("\n| the monitor's polling under the load | n | mean | largest p50 seen "
                + "| largest p99 seen | max |\n|---|---|---|---|---|---|\n");
        for (String[] timer : List.of(
                new String[] {"rollwatch_monitor_poll_tick_seconds", "a tick: find what is due, hand it out"},
                new String[] {"rollwatch_monitor_poll_wait_seconds", "a deployment's round handed out → begun"},
                new String[] {"rollwatch_monitor_poll_round_seconds", "a round begun → its readings recorded"},
                new String[] {"rollwatch_monitor_scrape_page_seconds", "one shared read of a metrics page"})) {
            md.append("| ").append(timer[1]).append(" | ").append(metricValue(m.last, timer[0] + "_count"))
                    .append(" | ").append(m.meanMs(timer[0]));
            for (String q : List.of("{quantile=\"0.5\"}", "{quantile=\"0.99\"}", "_max")) {
                md.append(" | ").append(m.peakMs(timer[0] + q));
            }
            md.append(" |\n");
        }
        md.append("| deployments due while their previous round was still queued or running (asked late) | ")
                .append(metricValue(m.last, "rollwatch_monitor_poll_skipped_total")).append(" | | | | |\n");
        md.append("\n| deployment event → the monitor (`ConsumerTiming`) | n | fetch mean | fetch largest p99 seen "
                + "| dispatch mean | dispatch largest p99 seen |\n|---|---|---|---|---|---|\n");
        for (String topic : List.of(Topics.DEPLOYMENT_STARTED, Topics.STEP_STARTED, Topics.STEP_COMPLETED)) {
            String tag = "{topic=\"" + topic + "\"}";
            String p99 = "{topic=\"" + topic + "\",quantile=\"0.99\"}";
            md.append("| `").append(topic).append("` | ")
                    .append(metricValue(m.last, "rollwatch_kafka_fetch_delay_seconds_count" + tag)).append(" | ")
                    .append(meanOf(m.last, "rollwatch_kafka_fetch_delay_seconds", tag)).append(" | ")
                    .append(m.peakMs("rollwatch_kafka_fetch_delay_seconds" + p99)).append(" | ")
                    .append(meanOf(m.last, "rollwatch_kafka_dispatch_delay_seconds", tag)).append(" | ")
                    .append(m.peakMs("rollwatch_kafka_dispatch_delay_seconds" + p99)).append(" |\n");
        }
        return md.toString();
    }

    /**
     * Where the monitor's memory went (the one service over 300 MB): the largest used and committed size of each JVM
     * memory pool seen in any 5 s sample, its largest count of live threads and its collections so far.
     */
    private static String jvmMemory(MetricPeaks m) {
        StringBuilder md = new StringBuilder("\n| the monitor's JVM memory | largest used seen | largest committed "
                + "seen |\n|---|---|---|\n");
        m.peaks.keySet().stream().filter(k -> k.startsWith("jvm_memory_used_bytes{")).sorted().forEach(used -> {
            String pool = used.substring("jvm_memory_used_bytes".length());
            md.append("| ").append(pool).append(" | ").append(mb(m.peaks.get(used))).append(" | ")
                    .append(mb(m.peaks.get("jvm_memory_committed_bytes" + pool))).append(" |\n");
        });
        m.peaks.keySet().stream().filter(k -> k.startsWith("jvm_buffer_memory_used_bytes{")).sorted()
                .forEach(k -> md.append("| buffers ").append(k.substring("jvm_buffer_memory_used_bytes".length()))
                        .append(" | ").append(mb(m.peaks.get(k))).append(" | |\n"));
        md.append("| live threads (largest) | ").append(metricPeak(m, "jvm_threads_live_threads")).append(" | |\n");
        m.peaks.keySet().stream().filter(k -> k.startsWith("jvm_gc_pause_seconds_count{")).sorted()
                .forEach(k -> md.append("| collections ").append(k.substring("jvm_gc_pause_seconds_count".length()))
                        .append(" | ").append(metricValue(m.last, k)).append(" | |\n"));
        return md.toString();
    }

    private static String mb(Double bytes) {
        return bytes == null ? "–" : String.format(Locale.ROOT, "%.1f MB", bytes / (1024 * 1024));
    }

    private static String metricPeak(MetricPeaks m, String key) {
        Double value = m.peaks.get(key);
        return value == null ? "–" : String.format(Locale.ROOT, "%.0f", value);
    }

    private static String meanOf(String metrics, String timer, String tag) {
        String count = metricValue(metrics, timer + "_count" + tag);
        String sum = metricValue(metrics, timer + "_sum" + tag);
        if ("–".equals(count) || "–".equals(sum) || Double.parseDouble(count) == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.1f ms", Double.parseDouble(sum) / Double.parseDouble(count) * 1000);
    }

    private static String metricValue(String metrics, String key) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(key + " ")) {
                return String.format(Locale.ROOT, "%.6f", Double.parseDouble(line.substring(key.length() + 1)))
                        .replaceAll("\\.?0+$", "");
            }
        }
        return "–";
    }

    private static String metricMs(String metrics, String key) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(key + " ")) {
                return String.format(Locale.ROOT, "%.1f ms", Double.parseDouble(line.substring(key.length() + 1)) * 1000);
            }
        }
        return "–";
    }

    private static long eventTime(byte[] value) {
        try {
            return Instant.parse(Http.JSON.readTree(value).get("time").asText()).toEpochMilli();
        } catch (Exception e) {
            return 0;
        }
    }

    private static String report(List<Hops> latencies, int breaches, int breachGapMs, int deployments, int analysisSeconds,
            double minutes, String operated) {
        List<Long> toRequest = latencies.stream().map(Hops::toRequest).sorted().toList();
        List<Long> toTarget = latencies.stream().map(Hops::toTarget).sorted().toList();
        // the first three breaches after start-up, and the rest (warm)
        List<Hops> warm = latencies.size() > 3 ? latencies.subList(3, latencies.size()) : latencies;
        StringBuilder md = new StringBuilder();
        md.append("## Stack benchmark (").append(Instant.now()).append(")\n\n");
        md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, load average ")
                .append(loadAverage()).append(" at the end of the run.\n\n");
        md.append("| detection to rollback, ").append(breaches).append(breachGapMs > 0
                ? " breaches in turn, each on a settled stack (previous deployment ROLLED_BACK, ≥ " + breachGapMs + " ms after its rollback began)"
                : " breaches back to back (the next pushed as soon as the previous rollback began)")
                .append(" | p50 | p95 | p99 | max |\n");
        md.append("|---|---|---|---|---|\n");
        md.append(row("sample pushed → `RollbackRequested` read from Kafka", toRequest));
        md.append(row("sample pushed → demo-target received the rollback call", toTarget));
        md.append(row("the same from the 4th breach on: → `RollbackRequested`",
                warm.stream().map(Hops::toRequest).sorted().toList()));
        md.append(row("the same from the 4th breach on: → demo-target told",
                warm.stream().map(Hops::toTarget).sorted().toList()));
        md.append("\nIn the order measured (ms, pushed → `RollbackRequested` / → target told): ")
                .append(latencies.stream().map(l -> l.toRequest() + "/" + l.toTarget()).collect(Collectors.joining(", ")))
                .append("\n");
        md.append("\n| where the time goes, per hop (all breaches) | p50 | p95 | p99 | max | 1st breach | 2nd | 3rd |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, java.util.function.ToLongFunction<Hops>> stage : STAGES) {
            String firstThree = latencies.stream().limit(3).map(h -> stage.getValue().applyAsLong(h) + " ms")
                    .collect(Collectors.joining(" | "));
            String row = row(stage.getKey(), latencies.stream().map(h -> stage.getValue().applyAsLong(h)).sorted().toList());
            md.append(row, 0, row.length() - 1).append(" ").append(firstThree).append(" |\n");
        }
        md.append("\n| throughput | value |\n|---|---|\n");
        if (deployments > 0) {
            md.append(String.format(Locale.ROOT, "| %d concurrent deployments (a third bad; 25%% → analysis %ds → 100%%), "
                            + "first POST → last terminal state | %.1f min, **%.1f deployments/min** |%n",
                    deployments, analysisSeconds, minutes, deployments / minutes));
        }
        md.append(operated);
        return md.toString();
    }

    /**
     * Who rolled the throughput load's deployments back — Rollwatch by a rule of its own, or the benchmark's operator
     * answering a CONDITIONAL decision — each deployment counted once, by its first ROLLBACK decision. Detection →
     * rollback under load is Rollwatch's own rollbacks only; the operator's answer time is apart from it: that is the
     * benchmark's poll interval and the machine's load, not the product's latency.
     */
    private static String operatorReport(List<Operator.Rollback> rollbacks, Map<String, Integer> replies) {
        Map<String, Long> byRule = rollbacks.stream().filter(r -> !r.byOperator())
                .collect(Collectors.groupingBy(Operator.Rollback::rule, TreeMap::new, Collectors.counting()));
        long byOperator = rollbacks.stream().filter(Operator.Rollback::byOperator).count();
        StringBuilder md = new StringBuilder("\n| rollbacks of the throughput load, each deployment once "
                + "| deployments |\n|---|---|\n");
        md.append("| rolled back by Rollwatch's own decision, by rule | ")
                .append(byRule.values().stream().mapToLong(Long::longValue).sum()).append(' ').append(byRule)
                .append(" |\n");
        md.append(String.format(Locale.ROOT, "| **rolled back by the operator's decision**: a P1 breach decided "
                + "CONDITIONAL (the runbooks ask an operator within 15 min), resolved ROLLBACK by the benchmark's "
                + "operator (`%s`, role operator, looking every %d s) | %d |%n", Operator.SUBJECT,
                OPERATOR_POLL.toSeconds(), byOperator));
        md.append("| the operator's answers, by rollback-service's reply (409: already rolling back or finished, "
                + "or resolved meanwhile; other refusals by status and problem type) | ").append(replies)
                .append(" |\n");
        md.append("\n| under the throughput load | n | p50 | p95 | p99 | max |\n|---|---|---|---|---|---|\n");
        md.append(rowOf("detection → rollback, Rollwatch's own rollbacks (rollback-service's "
                + "`detectionToRollbackMs`: breach observed → ROLLBACK decided)", rollbacks.stream()
                .map(Operator.Rollback::detectionToRollbackMs).filter(Objects::nonNull).sorted().toList()));
        md.append(rowOf("CONDITIONAL decided → the operator's ROLLBACK (the benchmark's operator: not Rollwatch's "
                + "latency, not in any detection → rollback figure)", rollbacks.stream()
                .map(Operator.Rollback::decisionToOperatorMs).filter(Objects::nonNull).sorted().toList()));
        return md.toString();
    }

    private static String rowOf(String what, List<Long> sorted) {
        if (sorted.isEmpty()) {
            return "| " + what + " | 0 | – | – | – | – |\n";
        }
        return String.format(Locale.ROOT, "| %s | %d | %d ms | %d ms | %d ms | %d ms |%n", what, sorted.size(),
                pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), sorted.get(sorted.size() - 1));
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
