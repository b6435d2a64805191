package dev.rollwatch.audit.domain;

import dev.rollwatch.events.EventHeader;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a record's header fits the columns it is stored in (issue 17, 4): the text columns are {@code varchar(255)}
 * in PostgreSQL's UTF-8, which cannot hold a NUL character or an unpaired UTF-16 surrogate, and {@code event_time}
 * is a {@code timestamptz} the JDBC driver writes only for years 1 to 9999. A record that does not fit would fail
 * its whole batch's transaction; ingest sends it alone to the DLQ with this reason instead. Pure.
 */
public final class StorableCheck {

    /** The length of the text columns ({@code varchar(255)}), in characters (code points), as PostgreSQL counts. */
    public static final int MAX_TEXT = 255;
    /** The earliest event time stored: 0001-01-01T00:00:00Z. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    /** The latest event time stored: the last microsecond of year 9999 (the column keeps microseconds). */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private StorableCheck() {
    }

    /** Why the record read from {@code topic} with {@code header} cannot be stored, or empty when it can. */
    public static Optional<String> refusal(String topic, EventHeader header) {
        Map<String, String> text = new LinkedHashMap<>();
        text.put("topic", topic);
        text.put("id", header.id());
        text.put("source", header.source());
        text.put("type", header.type());
        text.put("subject", header.subject());
        text.put("causationid", header.causationId());
        text.put("correlationid", header.correlationId());
        for (Map.Entry<String, String> field : text.entrySet()) {
            Optional<String> bad = textRefusal(field.getValue());
            if (bad.isPresent()) {
                return Optional.of("attribute '" + field.getKey() + "' " + bad.get());
            }
        }
        Instant time = header.time();
        if (time != null && (time.isBefore(EARLIEST) || time.isAfter(LATEST))) {
            return Optional.of("attribute 'time' " + time + " is outside the years 1 to 9999 the log stores");
        }
        return Optional.empty();
    }

    private static Optional<String> textRefusal(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                return Optional.of("contains a NUL character (at " + i + ")");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of("contains an unpaired surrogate (at " + i + ")");
            }
        }
        int length = value.codePointCount(0, value.length());
        if (length > MAX_TEXT) {
            return Optional.of("is " + length + " characters long, longer than " + MAX_TEXT);
        }
        return Optional.empty();
    }
}
