package dev.rollwatch.audit;

import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;

import static dev.rollwatch.audit.AuditTestSupport.awaitEntries;
import static dev.rollwatch.audit.AuditTestSupport.entries;
import static dev.rollwatch.audit.AuditTestSupport.marker;
import static dev.rollwatch.audit.AuditTestSupport.sendInOrder;
import static dev.rollwatch.audit.AuditTestSupport.superuser;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Redelivery of the whole history, as after a consumer-group offset reset to earliest: every record ever written to
 * every topic the service consumes is read from the beginning and delivered to it again. The log gains nothing but
 * the fresh markers sent after the copies.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class AuditRedeliveryIT {

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void everyRecordOfEveryTopicDeliveredAgainFromTheBeginningAddsNothing() throws Exception {
        RollbackFlow flow = new RollbackFlow();
        sendInOrder(kafka, flow.events());
        List<Long> positionsBefore = entries(flow.deploymentId).getList("entries.position", Long.class);
        long headBefore = head();

        String markerSubject = "redelivery-marker-" + UUID.randomUUID();
        int resent = 0;
        int markers = 0;
        try (KafkaConsumer<String, byte[]> consumer = fromTheBeginning();
                KafkaProducer<String, byte[]> producer = producer()) {
            List<Future<?>> sends = new ArrayList<>();
            for (String topic : consumedTopics()) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                for (ConsumerRecord<String, byte[]> r : readAll(consumer, partitions)) {
                    sends.add(producer.send(new ProducerRecord<>(r.topic(), r.partition(), r.key(), r.value(),
                            r.headers())));
                    resent++;
                }
                // After the copies, on every partition: a fresh event. Once all are in, every copy was handled.
                for (TopicPartition p : partitions) {
                    sends.add(producer.send(new ProducerRecord<>(topic, p.partition(), markerSubject,
                            marker(topic, markerSubject))));
                    markers++;
                }
            }
            for (Future<?> sent : sends) {
                sent.get();
            }
        }
        assertThat(resent).isGreaterThanOrEqualTo(flow.events().size());

        awaitEntries(markerSubject, markers);
        assertThat(entries(flow.deploymentId).getList("entries.position", Long.class)).isEqualTo(positionsBefore);
        try (Connection c = superuser(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FILTER (WHERE subject = ?), count(*) FILTER (WHERE subject IS DISTINCT FROM ? "
                        + "AND source <> '/rollwatch/audit-service') FROM audit.audit_entry WHERE position > ?")) {
            ps.setString(1, markerSubject);
            ps.setString(2, markerSubject);
            ps.setLong(3, headBefore);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("markers appended").isEqualTo(markers);
                assertThat(rs.getLong(2)).as("anything else appended after %d re-sent records", resent).isZero();
            }
        }
        given().when().get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));
    }

    /**
     * The topics the service's incoming channels subscribe to ({@code topic}, or a {@code topics} list), from its
     * configuration.
     */
    private static List<String> consumedTopics() {
        Config config = ConfigProvider.getConfig();
        List<String> topics = new ArrayList<>();
        for (String name : config.getPropertyNames()) {
            if (name.matches("mp\\.messaging\\.incoming\\.[^.]+\\.topics?")) {
                topics.addAll(List.of(config.getValue(name, String.class).split(",")));
            }
        }
        assertThat(topics).contains(Topics.DEPLOYMENT_STARTED, Topics.NOTIFICATION_OUTCOMES);
        return topics;
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(KafkaConsumer<String, byte[]> consumer,
            List<TopicPartition> partitions) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            assertThat(System.nanoTime()).as("reading %s to its end", partitions).isLessThan(deadline);
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    private static long head() throws SQLException {
        try (Connection c = superuser(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT position FROM audit.audit_head")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static KafkaConsumer<String, byte[]> fromTheBeginning() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "redelivery-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }
}
