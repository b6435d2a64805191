package dev.rollwatch.audit.messaging;

import dev.rollwatch.events.Topics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import java.util.function.BiConsumer;

/**
 * The last resort of the {@linkplain IngestChannel ingest channel}, failure strategy {@value #STRATEGY}: SmallRye's
 * own {@code dead-letter-queue} strategy (same producer, same {@code dead-letter-*} headers, the record acknowledged
 * once the dead letter is written), except that each record goes to the DLQ of the topic it came from,
 * {@code <record's topic>.dlq}, rather than to the channel's single {@code dead-letter-queue.topic}. One channel reads
 * every contract topic, and a dead letter must land where the operator's tool lists and re-drives it
 * ({@code DeadLetterTopics}: {@code <topic>.dlq} back to {@code <topic>}), as it did with one channel per topic.
 *
 * <p>Poison never gets here: the ingest sends each bad record to its DLQ itself ({@link DeadLetters}) and goes on.
 * Only a batch that fails as a whole for something other than its data or a database that is away (a bug, a
 * privilege missing, conflicts past {@code @RetryTransient}'s attempts) is nacked, and then, as before, each of its
 * records is set aside on its own topic's DLQ with the failure as the reason, for re-drive once the cause is fixed.
 */
@ApplicationScoped
@Identifier(PerTopicDeadLetterQueue.STRATEGY)
public class PerTopicDeadLetterQueue implements KafkaFailureHandler.Factory {

    /** The channel's {@code failure-strategy}. */
    public static final String STRATEGY = "per-topic-dead-letter-queue";

    private final KafkaFailureHandler.Factory deadLetterQueue;

    public PerTopicDeadLetterQueue(
            @Identifier(KafkaFailureHandler.Strategy.DEAD_LETTER_QUEUE) KafkaFailureHandler.Factory deadLetterQueue) {
        this.deadLetterQueue = deadLetterQueue;
    }

    @Override
    public KafkaFailureHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx,
            KafkaConsumer<?, ?> consumer, BiConsumer<Throwable, Boolean> reportFailure) {
        return new ToOwnTopic(deadLetterQueue.create(config, vertx, consumer, reportFailure));
    }

    /** The metadata a nack hands the dead-letter strategy, with the record's own DLQ as the destination. */
    static Metadata toOwnDlq(String topic, Metadata metadata) {
        Metadata base = metadata == null ? Metadata.empty() : metadata;
        return base.with(OutgoingKafkaRecordMetadata.builder().withTopic(Topics.dlq(topic)).build());
    }

    /** SmallRye's dead-letter handler, told each record's destination. */
    static final class ToOwnTopic implements KafkaFailureHandler {

        private final KafkaFailureHandler deadLetterQueue;

        ToOwnTopic(KafkaFailureHandler deadLetterQueue) {
            this.deadLetterQueue = deadLetterQueue;
        }

        @Override
        public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
            return deadLetterQueue.handle(record, reason, toOwnDlq(record.getTopic(), metadata));
        }

        @Override
        public void terminate() {
            deadLetterQueue.terminate();
        }
    }
}
