package dev.rollwatch.audit.rest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.rollwatch.audit.domain.ChainHash;
import dev.rollwatch.audit.domain.StoredEntry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * An audit entry on the wire: its place in the log and the chain, where it was read from Kafka, and the event
 * itself parsed from the stored bytes (numbers kept exactly as written). Hashes are lowercase hex.
 */
public record EntryView(long position, String id, String source, String type, String subject, Instant time,
        String causationId, String correlationId, String topic, int partition, long offset, Instant recordedAt,
        String prevHash, String entryHash, JsonNode event) {

    private static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    public static EntryView of(StoredEntry e) {
        return new EntryView(e.position(), e.eventId(), e.source(), e.type(), e.subject(), e.eventTime(),
                e.causationId(), e.correlationId(), e.topic(), e.partition(), e.offset(), e.recordedAt(),
                ChainHash.hex(e.prevHash()), ChainHash.hex(e.entryHash()), parse(e.payload()));
    }

    static JsonNode parse(byte[] payload) {
        try {
            return EXACT.readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException("stored event is not JSON", e);
        }
    }

    static ObjectMapper mapper() {
        return EXACT;
    }
}
