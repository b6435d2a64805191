package dev.rollwatch.platform.messaging;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.InvalidEventException;
import dev.rollwatch.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;

/**
 * Turns a Kafka record into a contract event. Channels consume raw bytes so the exact bytes stay available
 * (the audit log hashes them) and so a record that is not an event fails here, inside the consumer, where
 * the channel's dead-letter strategy takes it with the reason.
 */
public final class InboundEvents {

    private InboundEvents() {
    }

    public static Envelope<EventData> decode(ConsumerRecord<String, byte[]> record) {
        try {
            return EventCodec.decode(record.value());
        } catch (InvalidEventException e) {
            throw new InvalidEventException("record " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + " is not a Rollwatch event: " + e.getMessage(), e);
        }
    }

    /**
     * Re-published history from the audit service; side-effecting consumers ignore it. Every consumer asks this first,
     * so it also notes how long the record waited for its handler ({@link ConsumerTiming}).
     */
    public static boolean isReplay(ConsumerRecord<?, ?> record) {
        ConsumerTiming.handlerStarted(record);
        Header header = record.headers().lastHeader(Topics.REPLAY_HEADER);
        return header != null && "true".equals(new String(header.value(), StandardCharsets.UTF_8));
    }
}
