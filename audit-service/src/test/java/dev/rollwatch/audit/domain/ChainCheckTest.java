package dev.rollwatch.audit.domain;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChainCheckTest {

    record Row(long position, byte[] prev, byte[] hash, byte[] payload) {
    }

    static List<Row> chain(int n) {
        List<Row> rows = new ArrayList<>();
        byte[] prev = ChainHash.genesis();
        for (int p = 1; p <= n; p++) {
            byte[] payload = ("{\"n\":" + p + "}").getBytes(StandardCharsets.UTF_8);
            byte[] hash = ChainHash.entryHash(prev, p, payload);
            rows.add(new Row(p, prev, hash, payload));
            prev = hash;
        }
        return rows;
    }

    static ChainCheck run(List<Row> rows, long last) {
        ChainCheck check = new ChainCheck(1, ChainHash.genesis());
        for (Row r : rows) {
            if (!check.accept(r.position(), r.prev(), r.hash(), r.payload())) {
                break;
            }
        }
        check.finish(last);
        return check;
    }

    @Test
    void anUntouchedChainIsValidAndEndsAtTheLastHash() {
        List<Row> rows = chain(5);
        ChainCheck check = run(rows, 5);
        assertThat(check.failure()).isNull();
        assertThat(check.checked()).isEqualTo(5);
        assertThat(check.lastHash()).isEqualTo(rows.get(4).hash());
    }

    @Test
    void anAlteredPayloadIsReportedAtItsPosition() {
        List<Row> rows = chain(5);
        rows.get(2).payload()[3] ^= 1;
        assertThat(run(rows, 5).failure()).isEqualTo(
                new ChainCheck.Failure(3, "entry_hash does not match the stored bytes"));
    }

    @Test
    void aDeletedRowIsReportedAtTheMissingPosition() {
        List<Row> rows = chain(5);
        rows.remove(1);
        ChainCheck.Failure failure = run(rows, 5).failure();
        assertThat(failure.position()).isEqualTo(2);
        assertThat(failure.reason()).startsWith("entry missing");
    }

    @Test
    void aDeletedTailIsReportedAgainstTheExpectedEnd() {
        List<Row> rows = chain(5);
        rows.remove(4);
        assertThat(run(rows, 5).failure().position()).isEqualTo(5);
    }

    @Test
    void aRowReplacedWithARecomputedHashBreaksTheNextLink() {
        List<Row> rows = chain(5);
        byte[] forged = "{\"n\":\"forged\"}".getBytes(StandardCharsets.UTF_8);
        Row old = rows.get(1);
        rows.set(1, new Row(2, old.prev(), ChainHash.entryHash(old.prev(), 2, forged), forged));
        ChainCheck.Failure failure = run(rows, 5).failure();
        assertThat(failure.position()).isEqualTo(3);
        assertThat(failure.reason()).startsWith("prev_hash does not match");
    }
}
