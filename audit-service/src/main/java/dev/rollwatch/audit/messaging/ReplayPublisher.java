package dev.rollwatch.audit.messaging;

import dev.rollwatch.audit.domain.ReplayDestination;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The producer of replays: a plain Kafka producer (acks=all, idempotent, so one partition's records keep their
 * order through retries) writing the stored bytes unchanged, keyed by the event's subject, with the replay headers.
 * It and the admin client that creates a missing replay topic use the channels' client settings
 * ({@link KafkaClientSettings}: {@code security.protocol}, {@code sasl.*}, {@code ssl.*}, …), and write to or create
 * replay topics only ({@link ReplayDestination}).
 * A SmallRye emitter would go through a channel per topic; a replay's destination is chosen per request.
 */
@ApplicationScoped
public class ReplayPublisher {

    /** The id of the replay a record belongs to. */
    public static final String REPLAY_ID_HEADER = "rollwatch-replay-id";
    /** The record's position in the audit log. */
    public static final String POSITION_HEADER = "rollwatch-audit-position";

    private static final byte[] TRUE = "true".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CONTENT_TYPE = EventCodec.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

    private final KafkaClientSettings settings;
    private final int partitions;
    private final short replicationFactor;
    private KafkaProducer<String, byte[]> producer;

    public ReplayPublisher(KafkaClientSettings settings,
            @ConfigProperty(name = "rollwatch.kafka.partitions", defaultValue = "3") int partitions,
            @ConfigProperty(name = "rollwatch.kafka.replication-factor", defaultValue = "1") short replicationFactor) {
        this.settings = settings;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    /** The admin client's settings: the channels' client settings (security included) and a 30 s API timeout. */
    Map<String, Object> adminConfig() {
        Map<String, Object> config = new HashMap<>(settings.admin());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return config;
    }

    /** The producer's settings: the channels' client settings (security included), then acks=all, idempotence. */
    Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>(settings.producer());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "audit-service-replay");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    /**
     * Create {@code topic} (with the contract's partition count) unless it exists. Only a replay topic
     * ({@link ReplayDestination}): this never creates a topic of any other name, whoever asks.
     */
    public void ensureTopic(String topic) {
        ReplayDestination.refusal(topic).ifPresent(refusal -> {
            throw new IllegalArgumentException(refusal);
        });
        try (Admin admin = Admin.create(adminConfig())) {
            if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                return;
            }
            admin.createTopics(List.of(new NewTopic(topic, partitions, replicationFactor))).all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the replay topic " + topic, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the replay topic " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + settings.bootstrapServers() + " to create "
                    + topic, e);
        }
    }

    /**
     * Hand one stored event to the producer; the future completes when the broker has it (acks=all). Only to a
     * replay topic ({@link ReplayDestination}).
     */
    public Future<RecordMetadata> send(String topic, String key, byte[] payload, UUID replayId, long position) {
        ReplayDestination.refusal(topic).ifPresent(refusal -> {
            throw new IllegalArgumentException(refusal);
        });
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CONTENT_TYPE);
        headers.add(Topics.REPLAY_HEADER, TRUE);
        headers.add(REPLAY_ID_HEADER, replayId.toString().getBytes(StandardCharsets.UTF_8));
        headers.add(POSITION_HEADER, Long.toString(position).getBytes(StandardCharsets.UTF_8));
        return producer().send(new ProducerRecord<>(topic, null, key, payload, headers));
    }

    /** Block until every record handed over so far is acknowledged or failed. */
    public void flush() {
        producer().flush();
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerConfig());
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
