package dev.rollwatch.audit.domain;

import java.time.Instant;

/**
 * One row of the audit log as stored: the event's context attributes (indexed copies), where it was read from
 * Kafka, its exact bytes and its place in the hash chain ({@code hashVersion}: which {@link ChainHash} formula).
 */
public record StoredEntry(long position, String source, String eventId, String type, String subject,
        Instant eventTime, String causationId, String correlationId, String topic, int partition, long offset,
        byte[] payload, byte[] prevHash, byte[] entryHash, Instant recordedAt, int hashVersion) {

    /** An entry of chain-hash version 1 (before V6). */
    public StoredEntry(long position, String source, String eventId, String type, String subject,
            Instant eventTime, String causationId, String correlationId, String topic, int partition, long offset,
            byte[] payload, byte[] prevHash, byte[] entryHash, Instant recordedAt) {
        this(position, source, eventId, type, subject, eventTime, causationId, correlationId, topic, partition,
                offset, payload, prevHash, entryHash, recordedAt, ChainHash.V1);
    }
}
