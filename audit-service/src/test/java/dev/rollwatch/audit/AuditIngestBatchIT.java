package dev.rollwatch.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollwatch.audit.messaging.AuditIngestConsumer;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.NotificationDelivered;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestKafka;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rollwatch.audit.AuditTestSupport.WAIT;
import static dev.rollwatch.audit.AuditTestSupport.awaitEntries;
import static dev.rollwatch.audit.AuditTestSupport.entries;
import static dev.rollwatch.audit.AuditTestSupport.superuser;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * One bad record goes to the DLQ alone, never its whole batch (issue 17, 4; review M1): a record whose header cannot
 * be stored (a NUL character, a field over its column's 255 characters, a time past the year 9999) sits between good
 * ones of the same partition; the good ones are appended in order, once, gap-free and chain-valid, and only the bad
 * ones reach {@code <topic>.dlq}, each with its reason.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class AuditIngestBatchIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = Topics.NOTIFICATION_OUTCOMES;

    private static KafkaTestClient kafka;

    @Inject
    AuditIngestConsumer consumer;

    @Inject
    MeterRegistry meters;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private static Envelope<NotificationDelivered> delivered(String deploymentId, int n) {
        return Envelope.of(RollbackFlow.NOTIFIER, deploymentId, new NotificationDelivered("oncall-" + n, "webhook",
                UUID.randomUUID().toString(), "dev.rollwatch.rollback.requested.v1", 1, "200", java.time.Instant.now()));
    }

    /** A good event's bytes with one CloudEvents attribute replaced. */
    private static byte[] withAttribute(Envelope<?> event, String attribute, String value) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(EventCodec.encode(event));
            root.put(attribute, value);
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPoisonRecordInTheMiddleOfABatchGoesToTheDlqAloneAndTheRestIsAppendedInOrder() {
        String deploymentId = UUID.randomUUID().toString();
        List<Envelope<NotificationDelivered>> good = List.of(delivered(deploymentId, 1), delivered(deploymentId, 2),
                delivered(deploymentId, 3), delivered(deploymentId, 4));
        Map<String, byte[]> poison = Map.of(
                "NUL", withAttribute(delivered(deploymentId, 90), "subject", deploymentId + "\u0000"),
                "longer than 255", withAttribute(delivered(deploymentId, 91), "id", "x".repeat(300)),
                "outside the years 1 to 9999", withAttribute(delivered(deploymentId, 92), "time",
                        "+10000-01-01T00:00:00Z"));
        List<byte[]> poisonValues = new ArrayList<>(poison.values());

        // One partition (one key), handed to the broker together: the audit service polls them as one batch.
        List<byte[]> batch = List.of(EventCodec.encode(good.get(0)), poisonValues.get(0), EventCodec.encode(good.get(1)),
                poisonValues.get(1), EventCodec.encode(good.get(2)), poisonValues.get(2),
                EventCodec.encode(good.get(3)));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 50,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (byte[] value : batch) {
                producer.send(new ProducerRecord<>(TOPIC, deploymentId, value));
            }
            producer.flush();
        }

        JsonPath page = awaitEntries(deploymentId, good.size());
        assertThat(page.getList("entries.id", String.class))
                .containsExactlyElementsOf(good.stream().map(Envelope::id).toList());
        List<Long> positions = page.getList("entries.position", Long.class);
        given().when().get("/api/v1/audit/verify?from=" + positions.get(0) + "&to=" + positions.get(3))
                .then().statusCode(200).body("valid", equalTo(true));

        // The poison was set aside before the batch was appended: it is on the DLQ by now.
        List<ConsumerRecord<String, byte[]>> dead = deadLetters(deploymentId, poison.size());
        assertThat(dead).extracting(ConsumerRecord::value).as("the DLQ holds the poison and nothing else")
                .containsExactlyInAnyOrderElementsOf(poisonValues);
        for (ConsumerRecord<String, byte[]> record : dead) {
            String reason = KafkaTestClient.header(record, "dead-letter-reason");
            String kind = poison.entrySet().stream().filter(p -> java.util.Arrays.equals(p.getValue(),
                    record.value())).findFirst().orElseThrow().getKey();
            assertThat(reason).contains("cannot be stored").contains(kind);
        }
        // Exactly once: the good ones are not appended a second time by anything that happened to the batch.
        assertThat(entries(deploymentId).getList("entries")).hasSize(good.size());
    }

    /**
     * Defence in depth, deterministically in one batch: a record that passes every check but that the database
     * still refuses for its data (here a constraint added for the test) is found by appending the batch record by
     * record, and goes to the DLQ alone; the records around it are appended in order.
     */
    @Test
    void aRecordTheDatabaseRefusesDespiteTheChecksGoesToTheDlqAlone() throws SQLException {
        String deploymentId = UUID.randomUUID().toString();
        String refusedSubject = "refused-" + deploymentId;
        Envelope<NotificationDelivered> before = delivered(deploymentId, 1);
        Envelope<NotificationDelivered> refused = delivered(refusedSubject, 2);
        Envelope<NotificationDelivered> after = delivered(deploymentId, 3);
        long offset = 1_000_000_000L + (System.nanoTime() & 0xFFFFFF);
        List<ConsumerRecord<String, byte[]>> records = List.of(
                new ConsumerRecord<>(TOPIC, 0, offset, deploymentId, EventCodec.encode(before)),
                new ConsumerRecord<>(TOPIC, 0, offset + 1, refusedSubject, EventCodec.encode(refused)),
                new ConsumerRecord<>(TOPIC, 0, offset + 2, deploymentId, EventCodec.encode(after)));

        String constraint = "test_refuse_" + Long.toHexString(offset);
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE audit.audit_entry ADD CONSTRAINT " + constraint + " CHECK (subject <> '"
                    + refusedSubject + "') NOT VALID");
            try {
                consumer.contractEvents(new ConsumerRecords<>(Map.of(new TopicPartition(TOPIC, 0), records),
                        Map.of()));
            } finally {
                s.execute("ALTER TABLE audit.audit_entry DROP CONSTRAINT " + constraint);
            }
        }

        assertThat(entries(deploymentId).getList("entries.id", String.class)).containsExactly(before.id(), after.id());
        assertThat(entries(refusedSubject).getList("entries")).isEmpty();
        List<ConsumerRecord<String, byte[]>> dead = deadLetters(refusedSubject, 1);
        assertThat(dead).hasSize(1);
        assertThat(KafkaTestClient.header(dead.get(0), "dead-letter-reason"))
                .contains("record " + TOPIC + "-0@" + (offset + 1)).contains("the database refused it")
                .contains(constraint);
        assertThat(deadLetters(deploymentId, 0)).as("nothing of the good records in the DLQ").isEmpty();
    }

    /**
     * A poll is first appended without the duplicate query; one that holds events already in the log (a redelivery
     * mixed with new ones, and an event twice in the poll itself) is rolled back by the unique key and appended
     * again checked: the new events once each, in the poll's order, on consecutive positions, the chain valid.
     */
    @Test
    void aPollMixingEventsAlreadyLoggedWithNewOnesAppendsOnlyTheNewOnesOnceAndGapFree() {
        String deploymentId = UUID.randomUUID().toString();
        List<Envelope<NotificationDelivered>> e = List.of(delivered(deploymentId, 1), delivered(deploymentId, 2),
                delivered(deploymentId, 3), delivered(deploymentId, 4), delivered(deploymentId, 5),
                delivered(deploymentId, 6));
        long offset = 2_000_000_000L + (System.nanoTime() & 0xFFFFFF);
        double rechecked = meters.counter("rollwatch.audit.appends.rechecked").count();

        consumer.contractEvents(poll(deploymentId, offset, e.get(0), e.get(1)));
        // Redelivered: 1 and 0 again, around the new 2 and 3; 2 a second time within the poll itself.
        consumer.contractEvents(poll(deploymentId, offset + 2, e.get(1), e.get(2), e.get(0), e.get(3), e.get(2)));
        // All new again: appended as well (checked or not, once each).
        consumer.contractEvents(poll(deploymentId, offset + 7, e.get(4), e.get(5)));

        JsonPath page = entries(deploymentId);
        assertThat(page.getList("entries.id", String.class)).as("each event once, in the polls' order")
                .containsExactlyElementsOf(e.stream().map(Envelope::id).toList());
        List<Long> positions = page.getList("entries.position", Long.class);
        assertThat(positions.get(3)).as("the new events of the mixed poll are consecutive: no position was lost")
                .isEqualTo(positions.get(2) + 1);
        assertThat(meters.counter("rollwatch.audit.appends.rechecked").count())
                .as("the mixed poll was refused by the unique key and appended checked").isEqualTo(rechecked + 1);
        given().when().get("/api/v1/audit/verify?from=" + positions.get(0) + "&to=" + positions.get(5))
                .then().statusCode(200).body("valid", equalTo(true));
    }

    @SafeVarargs
    private static ConsumerRecords<String, byte[]> poll(String key, long firstOffset,
            Envelope<NotificationDelivered>... events) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < events.length; i++) {
            records.add(new ConsumerRecord<>(TOPIC, 0, firstOffset + i, key, EventCodec.encode(events[i])));
        }
        return new ConsumerRecords<>(Map.of(new TopicPartition(TOPIC, 0), records), Map.of());
    }

    /**
     * Every record with {@code key} on the DLQ, read from the beginning to the end it has now (no consumer group:
     * every partition assigned), waiting until at least {@code atLeast} are there.
     */
    private static List<ConsumerRecord<String, byte[]>> deadLetters(String key, int atLeast) {
        String topic = Topics.dlq(TOPIC);
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (KafkaConsumer<String, byte[]> dlq = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = dlq.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            dlq.assign(partitions);
            while (true) {
                dlq.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = dlq.endOffsets(partitions);
                List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
                while (partitions.stream().anyMatch(tp -> dlq.position(tp) < end.get(tp))) {
                    for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(200))) {
                        if (key.equals(r.key())) {
                            found.add(r);
                        }
                    }
                }
                if (found.size() >= atLeast || System.nanoTime() > deadline) {
                    return found;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
