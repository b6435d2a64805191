package dev.rollwatch.audit.messaging;

import dev.rollwatch.events.Topics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The last resort of the one ingest channel: when a batch mixing topics fails as a whole, SmallRye nacks each of its
 * records, and each is handed to the dead-letter strategy with its own topic's DLQ as the destination.
 */
class PerTopicDeadLetterQueueTest {

    /** What SmallRye's dead-letter handler was asked to do. */
    private record DeadLetter(String topic, long offset, String destination, Throwable reason) {
    }

    @Test
    void eachRecordOfAFailedBatchIsDeadLetteredToItsOwnTopicsDlq() {
        List<DeadLetter> handled = new ArrayList<>();
        KafkaFailureHandler smallRyeDeadLetterQueue = new KafkaFailureHandler() {
            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
                handled.add(new DeadLetter(record.getTopic(), record.getOffset(),
                        metadata.get(OutgoingKafkaRecordMetadata.class).orElseThrow().getTopic(), reason));
                return Uni.createFrom().voidItem();
            }
        };
        ConsumerRecords<String, byte[]> poll = new ConsumerRecords<>(Map.of(
                new TopicPartition(Topics.STEP_STARTED, 0), List.of(record(Topics.STEP_STARTED, 0, 7),
                        record(Topics.STEP_STARTED, 0, 8)),
                new TopicPartition(Topics.BAKE_CHECKPOINTS, 2), List.of(record(Topics.BAKE_CHECKPOINTS, 2, 3))),
                Map.of());
        IncomingKafkaRecordBatch<String, byte[]> batch = new IncomingKafkaRecordBatch<>(poll, IngestChannel.NAME, -1,
                null, new PerTopicDeadLetterQueue.ToOwnTopic(smallRyeDeadLetterQueue), false, false);
        IllegalStateException failure = new IllegalStateException("a bug");

        batch.nack(failure).toCompletableFuture().join();

        assertThat(handled).containsExactlyInAnyOrder(
                new DeadLetter(Topics.STEP_STARTED, 7, "step-started.dlq", failure),
                new DeadLetter(Topics.STEP_STARTED, 8, "step-started.dlq", failure),
                new DeadLetter(Topics.BAKE_CHECKPOINTS, 3, "bake-checkpoints.dlq", failure));
    }

    @Test
    void theDestinationIsSetWhateverMetadataTheNackCarried() {
        assertThat(PerTopicDeadLetterQueue.toOwnDlq(Topics.POLICY_CHANGES, null)
                .get(OutgoingKafkaRecordMetadata.class).orElseThrow().getTopic()).isEqualTo("policy-changes.dlq");
        Metadata other = Metadata.of("something of the caller's");
        Metadata withDestination = PerTopicDeadLetterQueue.toOwnDlq(Topics.POLICY_CHANGES, other);
        assertThat(withDestination.get(String.class)).contains("something of the caller's");
        assertThat(withDestination.get(OutgoingKafkaRecordMetadata.class).orElseThrow().getTopic())
                .isEqualTo("policy-changes.dlq");
    }

    private static ConsumerRecord<String, byte[]> record(String topic, int partition, long offset) {
        return new ConsumerRecord<>(topic, partition, offset, "key", "{}".getBytes(StandardCharsets.UTF_8));
    }
}
