package dev.rollwatch.audit.messaging;

import dev.rollwatch.events.Topics;
import dev.rollwatch.platform.messaging.ConsumerTiming;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;

/**
 * Moves a poison record of a batch to {@code <topic>.dlq} with the same headers SmallRye's dead-letter strategy
 * writes ({@code dead-letter-reason}, {@code -topic}, {@code -partition}, {@code -offset}), and waits for the
 * broker's ack, so the batch is only acknowledged once the poison is safe. Batches cannot use the channel's own
 * strategy: a nacked batch would send its valid records to the DLQ too.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final MutinyEmitter<byte[]> emitter;
    private final MeterRegistry meters;

    public DeadLetters(@Channel("audit-dead-letters") MutinyEmitter<byte[]> emitter, MeterRegistry meters) {
        this.emitter = emitter;
        this.meters = meters;
    }

    public void send(ConsumerRecord<String, byte[]> record, String reason) {
        String dlq = Topics.dlq(record.topic());
        RecordHeaders headers = new RecordHeaders();
        for (org.apache.kafka.common.header.Header h : record.headers()) {
            if (!ConsumerTiming.POLLED_AT.equals(h.key())) { // the consumer's own timing, not the record's
                headers.add(h);
            }
        }
        headers.add("dead-letter-reason", utf8(reason));
        headers.add("dead-letter-topic", utf8(record.topic()));
        headers.add("dead-letter-partition", utf8(Integer.toString(record.partition())));
        headers.add("dead-letter-offset", utf8(Long.toString(record.offset())));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(dlq).withKey(record.key()).withHeaders(headers).build();
        byte[] value = record.value() == null ? new byte[0] : record.value();
        emitter.sendMessageAndAwait(Message.of(value).addMetadata(metadata));
        meters.counter("rollwatch.audit.rejected", "topic", record.topic()).increment();
        LOG.warnf("audit rejected record %s-%d@%d to %s: %s", record.topic(), record.partition(), record.offset(),
                dlq, reason);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
