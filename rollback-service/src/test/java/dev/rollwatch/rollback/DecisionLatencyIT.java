package dev.rollwatch.rollback;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestKafka;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures breach-on-Kafka → RollbackRequested-on-Kafka over many deployments, one breach at a time (so the
 * figure is the reaction time, not a queue), and the service's own share of it: breach consumed → RollbackRequested
 * committed (the {@code rollwatch.rollback.breach.commit.latency} timer). The figures are printed, never asserted
 * (these machines are shared); what is asserted is that every breach got its one RollbackRequested, caused by it,
 * and that the timer saw every one of them.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class DecisionLatencyIT {

    private static final int DEPLOYMENTS = 50;

    @Inject
    MeterRegistry registry;

    @Test
    void aP1BreachBecomesARollbackRequestWithinMilliseconds() throws Exception {
        String service = Fixtures.unique("latency");
        List<String> ids = new ArrayList<>();
        try (KafkaTestClient kafka = KafkaTestClient.forTestBroker()) {
            for (int i = 0; i < DEPLOYMENTS; i++) {
                // one service per deployment: a real service has one deployment at a time
                ids.add(Fixtures.start(kafka, service + "-" + i, "2.0.0", "1.0.0"));
            }
        }
        Timer consumedToCommitted = registry.get("rollwatch.rollback.breach.commit.latency").timer();
        long countBefore = consumedToCommitted.count();
        List<Long> recordMillis = new ArrayList<>();
        List<Long> wallMicros = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer(); KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ROLLBACK_REQUESTED).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            for (int i = 0; i < DEPLOYMENTS; i++) {
                String id = ids.get(i);
                Envelope<ThresholdBreached> breach = Fixtures.breach(id, service + "-" + i, "2.0.0", Severity.P0,
                        "error-rate", Instant.now());
                long sentNanos = System.nanoTime();
                RecordMetadata sent = producer.send(new ProducerRecord<>(Topics.THRESHOLD_BREACHED, id,
                        EventCodec.encode(breach))).get(30, TimeUnit.SECONDS);
                ConsumerRecord<String, byte[]> rollback = awaitRollback(consumer, id, breach.id());
                wallMicros.add((System.nanoTime() - sentNanos) / 1000);
                recordMillis.add(rollback.timestamp() - sent.timestamp());
            }
        }
        Collections.sort(recordMillis);
        Collections.sort(wallMicros);
        System.out.printf("[rollback-service] breach -> RollbackRequested over %d deployments: record timestamps "
                + "p50 %d ms, p95 %d ms, max %d ms; send -> received by a consumer p50 %.1f ms, p95 %.1f ms%n",
                DEPLOYMENTS, pct(recordMillis, 50), pct(recordMillis, 95), recordMillis.get(DEPLOYMENTS - 1),
                pct(wallMicros, 50) / 1000.0, pct(wallMicros, 95) / 1000.0);
        assertThat(consumedToCommitted.count() - countBefore).as("rollbacks timed consumed -> committed")
                .isGreaterThanOrEqualTo(DEPLOYMENTS);
        Map<Double, Double> quantiles = new java.util.TreeMap<>();
        for (ValueAtPercentile v : consumedToCommitted.takeSnapshot().percentileValues()) {
            quantiles.put(v.percentile(), v.value(TimeUnit.MILLISECONDS));
        }
        System.out.printf("[rollback-service] breach consumed -> RollbackRequested committed (timer "
                + "rollwatch.rollback.breach.commit.latency, its 2-minute window, %d rollbacks timed in this loop): "
                + "p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms%n", consumedToCommitted.count() - countBefore,
                quantiles.get(0.5), quantiles.get(0.95), quantiles.get(0.99),
                consumedToCommitted.max(TimeUnit.MILLISECONDS));
        String metrics = io.restassured.RestAssured.get("/q/metrics").asString();
        assertThat(metrics).contains("rollwatch_rollback_breach_commit_latency_seconds");
        metrics.lines().filter(l -> (l.startsWith("rollwatch_rollback_decision_latency_seconds")
                || l.startsWith("rollwatch_rollback_breach_commit_latency_seconds")
                || l.startsWith("rollwatch_outbox_publish_latency_seconds")) && l.contains("quantile"))
                .forEach(l -> System.out.println("[rollback-service] " + l));
        System.out.printf("[rollback-service] load average while measuring: %s%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static ConsumerRecord<String, byte[]> awaitRollback(KafkaConsumer<String, byte[]> consumer, String id,
            String breachId) {
        long deadline = System.nanoTime() + Fixtures.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                if (id.equals(r.key())) {
                    Envelope<RollbackRequested> event = EventCodec.decode(r.value()).as(RollbackRequested.class);
                    assertThat(event.causationId()).isEqualTo(breachId);
                    return r;
                }
            }
        }
        throw new AssertionError("no RollbackRequested for " + id + " within " + Fixtures.WAIT);
    }

    private static long pct(List<Long> sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "latency-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }
}
