package dev.rollwatch.audit.repository;

import dev.rollwatch.audit.domain.StoredEntry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The binary COPY stream, read back field by field. That PostgreSQL accepts it, with the same constraints as an
 * INSERT, is for the ITs against the real server (every append goes through it: AuditIngestBatchIT, AuditIngestIT).
 */
class BinaryCopyTest {

    @Test
    void timestampsAreMicrosecondsSincePostgresEpochRoundedHalfUp() {
        assertThat(BinaryCopy.postgresMicros(Instant.parse("2000-01-01T00:00:00Z"))).isZero();
        assertThat(BinaryCopy.postgresMicros(Instant.parse("1970-01-01T00:00:00Z"))).isEqualTo(-946_684_800_000_000L);
        assertThat(BinaryCopy.postgresMicros(Instant.parse("2000-01-01T00:00:01.000001499Z"))).isEqualTo(1_000_001L);
        assertThat(BinaryCopy.postgresMicros(Instant.parse("2000-01-01T00:00:01.000001500Z"))).isEqualTo(1_000_002L);
        assertThat(BinaryCopy.postgresMicros(Instant.parse("1999-12-31T23:59:59.999999Z"))).isEqualTo(-1L);
    }

    @Test
    void aRowIsSixteenFieldsInColumnOrderWithNullsAsMinusOne() throws Exception {
        StoredEntry e = new StoredEntry(42, "deploy-service", "id-1", "dev.rollwatch.DeploymentStarted", null,
                Instant.parse("2000-01-01T00:00:02Z"), null, "corr", "deployment-started", 2, 77L,
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2}, new byte[] {3},
                Instant.parse("2000-01-01T00:00:03Z"), 2);

        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(stream(List.of(e, e))));

        byte[] signature = new byte[11];
        in.readFully(signature);
        assertThat(signature).containsExactly('P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xFF, '\r', '\n', 0);
        assertThat(in.readInt()).as("flags").isZero();
        assertThat(in.readInt()).as("header extension").isZero();
        for (int row = 0; row < 2; row++) {
            assertThat(in.readShort()).isEqualTo((short) 16);
            assertThat(longField(in)).isEqualTo(42);
            assertThat(text(in)).isEqualTo("deploy-service");
            assertThat(text(in)).isEqualTo("id-1");
            assertThat(text(in)).isEqualTo("dev.rollwatch.DeploymentStarted");
            assertThat(in.readInt()).as("subject NULL").isEqualTo(-1);
            assertThat(longField(in)).as("event_time").isEqualTo(2_000_000L);
            assertThat(in.readInt()).as("causation_id NULL").isEqualTo(-1);
            assertThat(text(in)).isEqualTo("corr");
            assertThat(text(in)).isEqualTo("deployment-started");
            assertThat(in.readInt()).isEqualTo(4);
            assertThat(in.readInt()).as("partition").isEqualTo(2);
            assertThat(longField(in)).as("offset").isEqualTo(77);
            assertThat(text(in)).isEqualTo("{\"a\":1}");
            assertThat(bytes(in)).containsExactly(1, 2);
            assertThat(bytes(in)).containsExactly(3);
            assertThat(longField(in)).as("recorded_at").isEqualTo(3_000_000L);
            assertThat(in.readInt()).isEqualTo(2);
            assertThat(in.readShort()).as("hash_version").isEqualTo((short) 2);
        }
        assertThat(in.readShort()).as("trailer").isEqualTo((short) -1);
        assertThat(in.available()).isZero();
    }

    @Test
    void aLongPollGoesToTheServerInChunks() throws Exception {
        StoredEntry e = new StoredEntry(1, "s", "i", "t", null, null, null, null, "topic", 0, 0L,
                new byte[10_000], new byte[32], new byte[32], Instant.EPOCH, 2);
        List<Integer> writes = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        BinaryCopy copy = new BinaryCopy((b, off, len) -> {
            writes.add(len);
            all.write(b, off, len);
        });
        for (int i = 0; i < 100; i++) {
            copy.row(e);
        }
        copy.finish();

        assertThat(writes).hasSizeGreaterThan(10);
        assertThat(writes.subList(0, writes.size() - 1)).allSatisfy(n -> assertThat(n).isBetween(
                BinaryCopy.CHUNK, BinaryCopy.CHUNK + 11_000));
        assertThat(all.size()).isEqualTo(19 + 100 * (2 + 16 * 4 + 8 + 1 + 1 + 1 + 5 + 4 + 8 + 10_000 + 32 + 32 + 8
                + 2) + 2);
    }

    private static byte[] stream(List<StoredEntry> entries) throws SQLException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryCopy copy = new BinaryCopy((b, off, len) -> out.write(b, off, len));
        for (StoredEntry e : entries) {
            copy.row(e);
        }
        copy.finish();
        return out.toByteArray();
    }

    private static long longField(DataInputStream in) throws IOException {
        assertThat(in.readInt()).isEqualTo(8);
        return in.readLong();
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }

    private static String text(DataInputStream in) throws IOException {
        return new String(bytes(in), StandardCharsets.UTF_8);
    }
}
