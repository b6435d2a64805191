package dev.rollwatch.events.kafka;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.charset.StandardCharsets;

/**
 * Kafka value serializer for SmallRye channels and plain producers: structured-mode CloudEvents JSON, with the
 * {@code content-type} header set when the producer passes headers.
 */
public class CloudEventSerializer implements Serializer<Envelope<?>> {

    public static final String CONTENT_TYPE_HEADER = "content-type";

    @Override
    public byte[] serialize(String topic, Envelope<?> event) {
        return event == null ? null : EventCodec.encode(event);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, Envelope<?> event) {
        if (event != null && headers != null) {
            headers.remove(CONTENT_TYPE_HEADER);
            headers.add(CONTENT_TYPE_HEADER, EventCodec.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        }
        return serialize(topic, event);
    }
}
