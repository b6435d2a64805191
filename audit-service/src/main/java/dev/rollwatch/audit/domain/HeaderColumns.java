package dev.rollwatch.audit.domain;

import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventHeader;
import dev.rollwatch.events.InvalidEventException;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The header columns of an entry ({@code source}, {@code event_id}, {@code event_type}, {@code subject},
 * {@code event_time}, {@code causation_id}, {@code correlation_id}) are an index: queries, timelines and replays
 * select by them, but what they say is re-derived from the hashed bytes, and an entry whose columns differ from its
 * bytes is reported by verify. Pure.
 */
public final class HeaderColumns {

    private HeaderColumns() {
    }

    /** Which column differs from the stored bytes, as a verify reason, or empty when all agree. */
    public static Optional<String> mismatch(StoredEntry e) {
        EventHeader h;
        try {
            h = EventCodec.decodeHeader(e.payload());
        } catch (InvalidEventException notAnEvent) {
            return Optional.of("the stored bytes are not a CloudEvent, so its columns cannot be re-derived");
        }
        if (!Objects.equals(e.source(), h.source())) {
            return differs("source");
        }
        if (!Objects.equals(e.eventId(), h.id())) {
            return differs("event_id");
        }
        if (!Objects.equals(e.type(), h.type())) {
            return differs("event_type");
        }
        if (!Objects.equals(e.subject(), h.subject())) {
            return differs("subject");
        }
        if (!sameMicros(e.eventTime(), h.time())) {
            return differs("event_time");
        }
        if (!Objects.equals(e.causationId(), h.causationId())) {
            return differs("causation_id");
        }
        if (!Objects.equals(e.correlationId(), h.correlationId())) {
            return differs("correlation_id");
        }
        return Optional.empty();
    }

    private static Optional<String> differs(String column) {
        return Optional.of("column " + column + " differs from the stored bytes");
    }

    /** The column keeps microseconds (PostgreSQL rounds the event's nanoseconds). */
    private static boolean sameMicros(Instant column, Instant bytes) {
        if (column == null || bytes == null) {
            return column == null && bytes == null;
        }
        Duration diff = Duration.between(column, bytes).abs();
        return diff.getSeconds() == 0 && diff.getNano() < 1_000;
    }
}
