package dev.rollwatch.audit.deadletter;

import dev.rollwatch.audit.messaging.KafkaClientSettings;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tool's clients authenticate like the channels, or as a principal of their own when
 * {@code rollwatch.audit.dead-letters.kafka.*} says so; each client takes only the keys it knows.
 */
class KafkaClientsTest {

    private static final Map<String, Object> CHANNELS = Map.of("bootstrap.servers", "broker:9093",
            "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "ScramLoginModule required username=\"audit-service\" password=\"a\";",
            "group.id", "audit-service");

    private static KafkaClients clients(Map<String, String> properties) {
        return new KafkaClients(KafkaClientSettings.of(CHANNELS, Map.of()), new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build());
    }

    @Test
    void withoutAnOverrideTheToolUsesTheChannelsSettings() {
        KafkaClients clients = clients(Map.of());

        assertThat(clients.producerConfig()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.jaas.config", CHANNELS.get("sasl.jaas.config"))
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        assertThat(clients.readerConfig(10)).containsEntry("bootstrap.servers", "broker:9093")
                .containsEntry("security.protocol", "SASL_SSL").doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG)
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        assertThat(clients.adminConfig()).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void theToolsOwnPrincipalReplacesTheServicesForItsClientsOnly() {
        String own = "ScramLoginModule required username=\"rollwatch-redrive\" password=\"r\";";
        KafkaClients clients = clients(Map.of("rollwatch.audit.dead-letters.kafka.sasl.jaas.config", own,
                "rollwatch.audit.dead-letters.kafka.fetch.max.bytes", "1048576"));

        assertThat(clients.producerConfig()).containsEntry("sasl.jaas.config", own)
                .containsEntry("security.protocol", "SASL_SSL").doesNotContainKey("fetch.max.bytes");
        assertThat(clients.readerConfig(1)).containsEntry("sasl.jaas.config", own)
                .containsEntry("fetch.max.bytes", "1048576");
        assertThat(clients.adminConfig()).containsEntry("sasl.jaas.config", own);
    }
}
