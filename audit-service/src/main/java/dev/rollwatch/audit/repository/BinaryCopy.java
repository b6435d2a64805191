package dev.rollwatch.audit.repository;

import dev.rollwatch.audit.domain.StoredEntry;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;

/**
 * Audit entries in PostgreSQL's binary {@code COPY} format, in {@link AuditLogRepository#COLUMNS}' order, for
 * {@code COPY audit_entry (…) FROM STDIN (FORMAT binary)}: the append's rows reach the server as one stream instead
 * of multi-row {@code INSERT}s to parse and bind. The server still checks every constraint (the unique key of
 * (topic, source, id), the lengths of {@code varchar(255)}, the append-only triggers), so a duplicate or a value that
 * does not fit fails the transaction with the same SQLSTATE and constraint as an {@code INSERT} would.
 *
 * <p>The format (PostgreSQL documentation, "COPY", "Binary Format"): an 11-byte signature, a flags word and a header
 * extension length; per row a 16-bit field count and each field as a 32-bit length (-1 for NULL) and its bytes;
 * a 16-bit -1 at the end. Field values are each type's binary send form: {@code bigint} 8 bytes, {@code integer} 4,
 * {@code smallint} 2, big-endian; {@code varchar} the UTF-8 bytes; {@code bytea} the bytes; {@code timestamptz}
 * microseconds since 2000-01-01T00:00Z as a {@code bigint}. The stream goes to the server in chunks of about
 * {@value #CHUNK} bytes, so a poll of thousands of rows is never held twice in memory.
 */
final class BinaryCopy {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final int FIELDS = 16;
    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch for timestamps, in seconds since 1970. */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;

    static final int CHUNK = 64 * 1024;

    /** Where the stream goes: the driver's {@code CopyIn#writeToCopy}. */
    @FunctionalInterface
    interface Sink {
        void write(byte[] bytes, int offset, int length) throws SQLException;
    }

    private final Sink sink;
    private byte[] buffer = new byte[CHUNK + 1024];
    private int length;

    BinaryCopy(Sink sink) {
        this.sink = sink;
        bytes(SIGNATURE);
        int32(0); // flags: no OIDs
        int32(0); // header extension length
    }

    /** One row, in {@link AuditLogRepository#COLUMNS}' order. */
    BinaryCopy row(StoredEntry e) throws SQLException {
        int16(FIELDS);
        int64Field(e.position());
        text(e.source());
        text(e.eventId());
        text(e.type());
        text(e.subject());
        timestamp(e.eventTime());
        text(e.causationId());
        text(e.correlationId());
        text(e.topic());
        int32Field(e.partition());
        int64Field(e.offset());
        bytea(e.payload());
        bytea(e.prevHash());
        bytea(e.entryHash());
        timestamp(e.recordedAt());
        int32(2);
        int16(e.hashVersion());
        if (length >= CHUNK) {
            flush();
        }
        return this;
    }

    /** The trailer, and whatever is not yet with the sink. */
    void finish() throws SQLException {
        int16(-1);
        flush();
    }

    private void flush() throws SQLException {
        sink.write(buffer, 0, length);
        length = 0;
    }

    /**
     * An instant as PostgreSQL stores a {@code timestamptz}: microseconds since 2000-01-01T00:00Z, nanoseconds rounded
     * half up to the microsecond as the JDBC driver does for {@code setTimestamp}.
     */
    static long postgresMicros(Instant t) {
        long micros = Math.addExact(Math.multiplyExact(t.getEpochSecond() - POSTGRES_EPOCH_SECONDS, 1_000_000L),
                t.getNano() / 1_000);
        return t.getNano() % 1_000 >= 500 ? micros + 1 : micros;
    }

    private void text(String s) {
        if (s == null) {
            int32(-1);
        } else {
            bytea(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void bytea(byte[] b) {
        int32(b.length);
        bytes(b);
    }

    private void timestamp(Instant t) {
        if (t == null) {
            int32(-1);
        } else {
            int64Field(postgresMicros(t));
        }
    }

    private void int64Field(long v) {
        int32(8);
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[length++] = (byte) (v >>> shift);
        }
    }

    private void int32Field(int v) {
        int32(4);
        int32(v);
    }

    private void int32(int v) {
        ensure(4);
        buffer[length++] = (byte) (v >>> 24);
        buffer[length++] = (byte) (v >>> 16);
        buffer[length++] = (byte) (v >>> 8);
        buffer[length++] = (byte) v;
    }

    private void int16(int v) {
        ensure(2);
        buffer[length++] = (byte) (v >>> 8);
        buffer[length++] = (byte) v;
    }

    private void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buffer, length, b.length);
        length += b.length;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
