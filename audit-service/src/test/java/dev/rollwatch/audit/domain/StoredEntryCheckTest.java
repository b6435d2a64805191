package dev.rollwatch.audit.domain;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** ChainCheck on stored entries: both hash versions, a downgrade, and the header columns against the bytes. */
class StoredEntryCheckTest {

    private static final Instant AT = Instant.parse("2026-12-05T08:00:00.123456Z");

    private static byte[] event(int n) {
        return ("{\"specversion\":\"1.0\",\"id\":\"e" + n + "\",\"source\":\"/rollwatch/deploy-service\","
                + "\"type\":\"dev.rollwatch.step.started.v1\",\"subject\":\"dep-1\","
                + "\"time\":\"2026-12-05T08:00:00.1234567Z\",\"data\":{}}").getBytes(StandardCharsets.UTF_8);
    }

    /** Entries 1..n, version 1 up to {@code lastV1}, version 2 after, columns as the service writes them. */
    static List<StoredEntry> log(int n, int lastV1, UnaryOperator<StoredEntry> change, int changed) {
        List<StoredEntry> out = new ArrayList<>();
        byte[] prev = ChainHash.genesis();
        for (int p = 1; p <= n; p++) {
            byte[] payload = event(p);
            int version = p <= lastV1 ? ChainHash.V1 : ChainHash.V2;
            StoredEntry e = new StoredEntry(p, "/rollwatch/deploy-service", "e" + p, "dev.rollwatch.step.started.v1",
                    "dep-1", Instant.parse("2026-12-05T08:00:00.123457Z"), null, null, "step-started", 0, p,
                    payload, prev, new byte[32], AT, version);
            byte[] hash = ChainHash.of(e);
            e = new StoredEntry(p, e.source(), e.eventId(), e.type(), e.subject(), e.eventTime(), null, null,
                    e.topic(), 0, p, payload, prev, hash, AT, version);
            out.add(p == changed ? change.apply(e) : e);
            prev = hash;
        }
        return out;
    }

    static ChainCheck.Failure run(List<StoredEntry> entries) {
        ChainCheck check = new ChainCheck(1, ChainHash.genesis());
        for (StoredEntry e : entries) {
            if (!check.accept(e)) {
                break;
            }
        }
        check.finish(entries.size());
        return check.failure();
    }

    private static StoredEntry with(StoredEntry e, String subject, String type, String topic, int version) {
        return new StoredEntry(e.position(), e.source(), e.eventId(), type, subject, e.eventTime(), null, null, topic,
                e.partition(), e.offset(), e.payload(), e.prevHash(), e.entryHash(), e.recordedAt(), version);
    }

    @Test
    void aLogOfVersion1ThenVersion2EntriesVerifies() {
        assertThat(run(log(6, 3, e -> e, 0))).isNull();
    }

    @Test
    void anEditedSubjectOrTypeIsFoundInEitherVersion() {
        for (int at : new int[] {2, 5}) {
            ChainCheck.Failure subject = run(log(6, 3, e -> with(e, "other", e.type(), e.topic(), e.hashVersion()),
                    at));
            assertThat(subject.position()).isEqualTo(at);
            assertThat(subject.reason()).isEqualTo("column subject differs from the stored bytes");
            ChainCheck.Failure type = run(log(6, 3, e -> with(e, e.subject(), "x", e.topic(), e.hashVersion()), at));
            assertThat(type.reason()).isEqualTo("column event_type differs from the stored bytes");
        }
    }

    @Test
    void anEditedTopicIsFoundInAVersion2Entry() {
        ChainCheck.Failure f = run(log(6, 3, e -> with(e, e.subject(), e.type(), "other", e.hashVersion()), 5));
        assertThat(f.position()).isEqualTo(5);
        assertThat(f.reason()).startsWith("entry_hash does not match the stored bytes");
    }

    @Test
    void aVersion2EntryRelabelledVersion1IsADowngrade() {
        ChainCheck.Failure f = run(log(6, 3, e -> with(e, e.subject(), e.type(), e.topic(), ChainHash.V1), 5));
        assertThat(f.position()).isEqualTo(5);
        assertThat(f.reason()).contains("downgraded");
    }
}
