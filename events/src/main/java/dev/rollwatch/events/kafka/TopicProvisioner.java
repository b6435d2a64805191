package dev.rollwatch.events.kafka;

import dev.rollwatch.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the contract's topics, their dead-letter topics, {@code audit-replay} and {@code producer-warmup}, if
 * missing. Used by
 * {@code ./rollwatch up}, the test brokers and the services' start-up, so every broker has the same topics with
 * the same partition count instead of whatever auto-creation would give.
 */
public final class TopicProvisioner {

    public static final int DEFAULT_PARTITIONS = 3;
    /** {@link Topics#PRODUCER_WARMUP} keeps its records this long: they only warm the producers, nobody reads them. */
    public static final String WARMUP_RETENTION_MS = "3600000";

    private TopicProvisioner() {
    }

    /**
     * Every topic Rollwatch uses: the contract and input topics, each one's DLQ, the replay topic and its DLQ, and the
     * producers' warm-up topic.
     */
    public static List<String> allTopics() {
        List<String> names = new ArrayList<>();
        List<String> topics = new ArrayList<>(Topics.ALL);
        topics.addAll(Topics.INPUTS);
        for (String topic : topics) {
            names.add(topic);
            names.add(Topics.dlq(topic));
        }
        names.add(Topics.AUDIT_REPLAY);
        names.add(Topics.dlq(Topics.AUDIT_REPLAY));
        names.add(Topics.PRODUCER_WARMUP);
        return names;
    }

    /** Create the missing topics; returns the names that were created. */
    public static List<String> ensureTopics(String bootstrapServers, int partitions, short replicationFactor) {
        return ensureTopics(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), partitions,
                replicationFactor);
    }

    /**
     * Create the missing topics with an admin client built from {@code clientConfig} (at least
     * {@code bootstrap.servers}; plus {@code security.protocol}, {@code sasl.*}, {@code ssl.*} on a secured
     * broker); returns the names that were created.
     */
    public static List<String> ensureTopics(Map<String, Object> clientConfig, int partitions,
            short replicationFactor) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        Object bootstrapServers = config.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String name : allTopics()) {
                if (existing.contains(name)) {
                    continue;
                }
                if (name.equals(Topics.PRODUCER_WARMUP)) {
                    missing.add(new NewTopic(name, 1, replicationFactor)
                            .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, WARMUP_RETENTION_MS)));
                } else {
                    missing.add(new NewTopic(name, partitions, replicationFactor));
                }
            }
            List<String> created = new ArrayList<>();
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrapServers + " to create topics", e);
        }
    }
}
