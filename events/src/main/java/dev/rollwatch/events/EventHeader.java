package dev.rollwatch.events;

import java.time.Instant;

/**
 * The context attributes of a CloudEvent, read without binding its data: enough to deduplicate, order and
 * index an event whose type this build may not know (a newer minor producer, say).
 */
public record EventHeader(String id, String source, String type, String subject, Instant time, String causationId,
        String correlationId, String partitionKey) {

    public java.util.Optional<EventType> knownType() {
        return EventType.fromType(type);
    }
}
