package dev.rollwatch.audit.deadletter;

import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventHeader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One record of a dead-letter topic as an operator sees it: where it is, where it came from and why it is there
 * (the headers SmallRye's dead-letter strategy and the audit ingest write), the CloudEvent attributes when its value
 * is one, and its size — never its value.
 */
public record DeadLetter(String topic, int partition, long offset, Instant timestamp, String key, int size,
        String originalTopic, Integer originalPartition, Long originalOffset, String reason, String cause,
        String eventId, String eventType, String eventSource, String subject, boolean cloudEvent) {

    /** The longest reason or cause shown (they may quote a decoder's message). */
    static final int MAX_TEXT = 500;

    public static final String REASON = "dead-letter-reason";
    public static final String CAUSE = "dead-letter-cause";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";

    static DeadLetter of(ConsumerRecord<byte[], byte[]> r) {
        EventHeader header = header(r.value());
        return new DeadLetter(r.topic(), r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()),
                r.key() == null ? null : text(new String(r.key(), StandardCharsets.UTF_8), 255),
                r.value() == null ? 0 : r.value().length, text(header(r, TOPIC), 255), integer(header(r, PARTITION)),
                number(header(r, OFFSET)), text(header(r, REASON), MAX_TEXT), text(header(r, CAUSE), MAX_TEXT),
                header == null ? null : header.id(), header == null ? null : header.type(),
                header == null ? null : header.source(), header == null ? null : header.subject(), header != null);
    }

    /** The CloudEvent attributes of a value, or null when it is not a CloudEvent envelope. */
    static EventHeader header(byte[] value) {
        if (value == null || value.length == 0) {
            return null;
        }
        try {
            return EventCodec.decodeHeader(value);
        } catch (RuntimeException e) { // InvalidEventException, or anything a malformed value throws
            return null;
        }
    }

    static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** One line, control characters replaced, cut to {@code max} characters. */
    static String text(String s, int max) {
        if (s == null) {
            return null;
        }
        String line = s.replaceAll("\\p{Cntrl}+", " ").strip();
        return line.length() <= max ? line : line.substring(0, max) + "…";
    }

    private static Integer integer(String s) {
        try {
            return s == null ? null : Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long number(String s) {
        try {
            return s == null ? null : Long.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
