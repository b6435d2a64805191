package dev.rollwatch.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Reads topics from their beginning up to their current end (a snapshot), the way an auditor would check. */
final class KafkaEvents {

    /** One record: where it is, its key, the CloudEvent's id and type (null when the value is not JSON). */
    record Event(String topic, int partition, long offset, String key, String id, String type, JsonNode json,
            ConsumerRecord<String, byte[]> record) {
    }

    private KafkaEvents() {
    }

    /** Every record of {@code topics} whose key {@code keys} accepts, in partition order. */
    static List<Event> read(String bootstrap, Collection<String> topics, Predicate<String> keys) {
        List<Event> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                for (PartitionInfo info : infos) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!caughtUp(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topics + " to their end within 120 s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() != null && keys.test(r.key())) {
                        events.add(event(r));
                    }
                }
            }
        }
        return events;
    }

    static List<Event> read(String bootstrap, Collection<String> topics, Set<String> keys) {
        return read(bootstrap, topics, keys::contains);
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Event event(ConsumerRecord<String, byte[]> r) {
        JsonNode json = null;
        try {
            json = Http.JSON.readTree(r.value());
        } catch (IOException | RuntimeException notJson) {
            // poison: kept with a null id
        }
        String id = json != null && json.has("id") ? json.get("id").asText() : null;
        String type = json != null && json.has("type") ? json.get("type").asText() : null;
        return new Event(r.topic(), r.partition(), r.offset(), r.key(), id, type, json, r);
    }
}
