package dev.rollwatch.audit.messaging;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.Config;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Kafka client settings the service's channels use, for the clients it builds itself (the replay producer and
 * admin client, and any other plain Kafka client of the service): every {@code kafka.*} property (the
 * {@code default-kafka-broker} configuration Quarkus collects: {@code bootstrap.servers}, {@code security.protocol},
 * {@code sasl.*}, {@code ssl.*}, …), overlaid by the connector-wide {@code mp.messaging.connector.smallrye-kafka.*}
 * properties, as SmallRye does for a channel. Each kind of client gets only the keys it knows, so a consumer setting
 * (say {@code auto.offset.reset}) never reaches a producer. On a SASL or TLS broker a client built from these
 * authenticates exactly as the channels do, instead of falling back to a PLAINTEXT listener or failing.
 */
@ApplicationScoped
public class KafkaClientSettings {

    static final String CONNECTOR_PREFIX = "mp.messaging.connector.smallrye-kafka.";

    private final Map<String, Object> common;

    @Inject
    public KafkaClientSettings(@Identifier("default-kafka-broker") Map<String, Object> kafka, Config config) {
        Map<String, String> connector = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(CONNECTOR_PREFIX)) {
                config.getOptionalValue(name, String.class)
                        .ifPresent(value -> connector.put(name.substring(CONNECTOR_PREFIX.length()), value));
            }
        }
        this.common = merge(kafka, connector);
    }

    /** For tests: the settings from {@code kafka.*} (without the prefix) and the connector's (without its prefix). */
    public static KafkaClientSettings of(Map<String, ?> kafka, Map<String, String> connector) {
        return new KafkaClientSettings(merge(kafka, connector));
    }

    private KafkaClientSettings(Map<String, Object> common) {
        this.common = common;
    }

    static Map<String, Object> merge(Map<String, ?> kafka, Map<String, String> connector) {
        Map<String, Object> merged = new TreeMap<>(kafka);
        merged.putAll(connector);
        return Collections.unmodifiableMap(merged);
    }

    /** Settings for an admin client. */
    public Map<String, Object> admin() {
        return only(AdminClientConfig.configNames());
    }

    /** Settings for a producer (set serializers, acks and the like on top). */
    public Map<String, Object> producer() {
        return only(ProducerConfig.configNames());
    }

    /** Settings for a consumer (set deserializers, group and the like on top). */
    public Map<String, Object> consumer() {
        return only(ConsumerConfig.configNames());
    }

    /** {@code bootstrap.servers}, for messages. */
    public String bootstrapServers() {
        return String.valueOf(common.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
    }

    private Map<String, Object> only(Set<String> names) {
        Map<String, Object> config = new HashMap<>();
        common.forEach((key, value) -> {
            if (names.contains(key)) {
                config.put(key, value);
            }
        });
        return config;
    }
}
