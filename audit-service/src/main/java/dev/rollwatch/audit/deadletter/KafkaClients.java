package dev.rollwatch.audit.deadletter;

import dev.rollwatch.audit.messaging.KafkaClientSettings;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.Config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The dead-letter tool's Kafka clients, with the same client settings as the service's channels and its replays
 * ({@link KafkaClientSettings}: every {@code kafka.*} property overlaid by the connector-wide
 * {@code mp.messaging.connector.smallrye-kafka.*} ones, each client taking the keys it knows) — overlaid in turn by
 * {@code rollwatch.audit.dead-letters.kafka.*}, so that on a cluster with ACLs the tool can log in as a principal of
 * its own (a re-drive writes other services' topics, which the service's own principal must not be allowed to;
 * docs/security.md, "Dead letters"). The reading consumer is assigned partitions (no consumer group, nothing
 * committed); the producer is idempotent with {@code acks=all}.
 */
@ApplicationScoped
public class KafkaClients {

    /** The prefix of the tool's own client settings, over the channels' ones. */
    public static final String OVERRIDE_PREFIX = "rollwatch.audit.dead-letters.kafka.";

    private final KafkaClientSettings settings;
    private final Map<String, Object> override;
    private KafkaProducer<byte[], byte[]> producer;

    @Inject
    public KafkaClients(KafkaClientSettings settings, Config config) {
        this.settings = settings;
        Map<String, Object> own = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(OVERRIDE_PREFIX)) {
                config.getOptionalValue(name, String.class)
                        .ifPresent(value -> own.put(name.substring(OVERRIDE_PREFIX.length()), value));
            }
        }
        this.override = Map.copyOf(own);
    }

    /** {@code base} with the tool's own settings that this kind of client knows. */
    private Map<String, Object> with(Map<String, Object> base, Set<String> known) {
        Map<String, Object> config = new HashMap<>(base);
        override.forEach((key, value) -> {
            if (known.contains(key)) {
                config.put(key, value);
            }
        });
        return config;
    }

    public Admin admin() {
        return Admin.create(adminConfig());
    }

    Map<String, Object> adminConfig() {
        Map<String, Object> config = with(settings.admin(), AdminClientConfig.configNames());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "audit-service-dead-letters");
        return config;
    }

    /** A consumer for reading by partition and offset: no group, no commits, at most {@code maxRecords} a poll. */
    public KafkaConsumer<byte[], byte[]> reader(int maxRecords) {
        return new KafkaConsumer<>(readerConfig(maxRecords));
    }

    Map<String, Object> readerConfig(int maxRecords) {
        Map<String, Object> config = with(settings.consumer(), ConsumerConfig.configNames());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "audit-service-dead-letters");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(1, maxRecords));
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    /** The re-drive producer (one, made on first use). */
    public synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerConfig());
        }
        return producer;
    }

    Map<String, Object> producerConfig() {
        Map<String, Object> config = with(settings.producer(), ProducerConfig.configNames());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "audit-service-redrive");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
