package dev.rollwatch.audit.domain;

import java.time.Instant;

/**
 * One row of the audit log as stored: the event's context attributes (indexed copies), where it was read from
 * Kafka, its exact bytes and its place in the hash chain.
 */
public record StoredEntry(long position, String source, String eventId, String type, String subject,
        Instant eventTime, String causationId, String correlationId, String topic, int partition, long offset,
        byte[] payload, byte[] prevHash, byte[] entryHash, Instant recordedAt) {
}
