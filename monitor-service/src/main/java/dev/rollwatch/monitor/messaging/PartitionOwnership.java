package dev.rollwatch.monitor.messaging;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which deployments this instance polls. Every instance of the monitor is a member of the {@code monitor-service}
 * consumer group; the partitions of {@code deployment-started} the group gives this instance decide which watches
 * its polled providers (scrape, prometheus) measure: those whose deployment id — the record key of every event about
 * the deployment — hashes to one of them, as Kafka's default partitioner places it. A second instance therefore takes
 * over part of the polling instead of measuring every deployment again, and when an instance leaves (or dies: after
 * the group's session timeout) its partitions, and so its watches, move to the others. Pushed samples are not
 * affected: any instance judges those it receives, serialized per deployment by the watch row lock.
 */
@ApplicationScoped
@Default
@Identifier(PartitionOwnership.NAME)
public class PartitionOwnership implements KafkaConsumerRebalanceListener {

    /** The listener's name in {@code mp.messaging.incoming.deployment-started.consumer-rebalance-listener.name}. */
    public static final String NAME = "monitor-partition-ownership";

    private static final Logger LOG = Logger.getLogger(PartitionOwnership.class);

    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private volatile int partitionCount;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        for (TopicPartition p : partitions) {
            if (partitionCount == 0) {
                partitionCount = consumer.partitionsFor(p.topic()).size();
            }
            owned.add(p.partition());
        }
        if (!partitions.isEmpty()) {
            LOG.infof("polling the watches of partitions %s of %d", owned(), partitionCount);
        }
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(p -> owned.remove(p.partition()));
        if (!partitions.isEmpty()) {
            LOG.infof("partitions %s moved away; polling the watches of partitions %s", partitions, owned());
        }
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        onPartitionsRevoked(consumer, partitions);
    }

    /** Whether this instance polls the deployment's checks now. */
    public boolean owns(String deploymentId) {
        int count = partitionCount;
        return count > 0 && owned.contains(partitionOf(deploymentId, count));
    }

    /** The partition Kafka's default partitioner gives a record keyed by the deployment id. */
    public static int partitionOf(String deploymentId, int partitions) {
        return BuiltInPartitioner.partitionForKey(deploymentId.getBytes(StandardCharsets.UTF_8), partitions);
    }

    /** The partitions owned now, sorted. */
    public Set<Integer> owned() {
        return new TreeSet<>(owned);
    }
}
