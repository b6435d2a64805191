package dev.rollwatch.audit.messaging;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The replay clients authenticate like the channels (issue 17, 7; review M10): the producer and the admin client
 * of {@link ReplayPublisher} carry the {@code kafka.*} and connector-wide security settings, and write to or create
 * replay topics only.
 */
class KafkaClientSettingsTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"audit-service\" password=\"s3cret\";";

    /** What {@code kafka.*} holds on a SASL_SSL cluster, as Quarkus collects it (prefix stripped). */
    private static final Map<String, Object> KAFKA = Map.of(
            "bootstrap.servers", "broker-1:9093",
            "security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", JAAS,
            "ssl.truststore.location", "/etc/rollwatch/kafka-truststore.p12",
            "ssl.truststore.password", "changeit");

    /** Connector-wide attributes: a client setting overrides kafka.*, the rest is not Kafka client configuration. */
    private static final Map<String, String> CONNECTOR = Map.of(
            "security.protocol", "SASL_SSL",
            "auto.offset.reset", "earliest",
            "key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
            "failure-strategy", "dead-letter-queue",
            "cloud-events", "false");

    private final KafkaClientSettings settings = KafkaClientSettings.of(KAFKA, CONNECTOR);

    @Test
    void theReplayProducerUsesTheChannelsSecuritySettings() {
        Map<String, Object> producer = new ReplayPublisher(settings, 3, (short) 1).producerConfig();
        assertThat(producer).containsEntry("bootstrap.servers", "broker-1:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", JAAS)
                .containsEntry("ssl.truststore.location", "/etc/rollwatch/kafka-truststore.p12")
                .containsEntry("ssl.truststore.password", "changeit")
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", true)
                .doesNotContainKeys("auto.offset.reset", "key.deserializer", "failure-strategy", "cloud-events");
    }

    @Test
    void theReplayAdminClientUsesTheChannelsSecuritySettings() {
        Map<String, Object> admin = new ReplayPublisher(settings, 3, (short) 1).adminConfig();
        assertThat(admin).containsEntry("bootstrap.servers", "broker-1:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", JAAS)
                .containsEntry("ssl.truststore.location", "/etc/rollwatch/kafka-truststore.p12")
                .doesNotContainKeys("auto.offset.reset", "key.deserializer", "acks");
    }

    @Test
    void aConsumerGetsConsumerSettingsAndTheSecurityOnes() {
        assertThat(settings.consumer()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.jaas.config", JAAS).containsEntry("auto.offset.reset", "earliest")
                .doesNotContainKeys("failure-strategy", "cloud-events");
    }

    @Test
    void theReplayPublisherNeitherCreatesNorWritesAnythingButReplayTopics() {
        // Refused before any client is built: nothing connects to broker-1.
        ReplayPublisher publisher = new ReplayPublisher(settings, 3, (short) 1);
        for (String topic : new String[] {"deployment-started", "rollback-requested.dlq", "forensics", "__consumer_offsets",
                "audit-replay.x.dlq", "metric-samples"}) {
            assertThatThrownBy(() -> publisher.ensureTopic(topic)).as(topic)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> publisher.send(topic, "k", new byte[] {1}, UUID.randomUUID(), 1)).as(topic)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
