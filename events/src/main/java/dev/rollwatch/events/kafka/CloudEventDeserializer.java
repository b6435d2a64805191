package dev.rollwatch.events.kafka;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.InvalidEventException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka value deserializer for contract events. A record that is not a valid event fails with a
 * {@link SerializationException} naming the reason, so a channel's failure strategy (the DLQ) takes it.
 */
public class CloudEventDeserializer implements Deserializer<Envelope<EventData>> {

    @Override
    public Envelope<EventData> deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return EventCodec.decode(data);
        } catch (InvalidEventException e) {
            throw new SerializationException("record on " + topic + " is not a Rollwatch event: " + e.getMessage(), e);
        }
    }
}
