package dev.rollwatch.audit.domain;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChainHashTest {

    private static final byte[] FIRST = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void version2MatchesTheReadmeLayout_vectorComputedWithPythonHashlib() {
        // python3: t = b'deployment-started'; sha256(b'rollwatch-audit-v2' + bytes(32) + struct.pack('>QH', 1, len(t))
        //          + t + struct.pack('>iqq', 2, 17, 1764892800123456) + b'{"specversion":"1.0"}')
        byte[] hash = ChainHash.entryHashV2(ChainHash.genesis(), 1, "deployment-started", 2, 17,
                java.time.Instant.parse("2025-12-05T00:00:00.123456Z"),
                "{\"specversion\":\"1.0\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(ChainHash.hex(hash)).isEqualTo("6014e4680b6203dd095f260ef26483ff8129c68ae52d23af83ba570e95aea925");
        // every column it covers changes it
        byte[] payload = "{\"specversion\":\"1.0\"}".getBytes(StandardCharsets.UTF_8);
        java.time.Instant at = java.time.Instant.parse("2025-12-05T00:00:00.123456Z");
        assertThat(ChainHash.entryHashV2(ChainHash.genesis(), 1, "step-started", 2, 17, at, payload)).isNotEqualTo(hash);
        assertThat(ChainHash.entryHashV2(ChainHash.genesis(), 1, "deployment-started", 1, 17, at, payload))
                .isNotEqualTo(hash);
        assertThat(ChainHash.entryHashV2(ChainHash.genesis(), 1, "deployment-started", 2, 18, at, payload))
                .isNotEqualTo(hash);
        assertThat(ChainHash.entryHashV2(ChainHash.genesis(), 1, "deployment-started", 2, 17, at.plusNanos(1_000),
                payload)).isNotEqualTo(hash);
    }

    @Test
    void matchesTheLayoutTheReadmeDocuments_vectorsComputedIndependentlyWithPythonHashlib() {
        // python3: sha256(b'rollwatch-audit-v1' + bytes(32) + struct.pack('>Q', 1) + b'{"a":1}')
        byte[] first = ChainHash.entryHash(ChainHash.genesis(), 1, FIRST);
        assertThat(ChainHash.hex(first))
                .isEqualTo("10f70a7e4c5b0dcf07efed665691368153a042c61791dd4b095eb30aa4afa419");
        // ... then sha256(tag + first + struct.pack('>Q', 2) + b'x')
        assertThat(ChainHash.hex(ChainHash.entryHash(first, 2, "x".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("fee082d43ec12695c6fcc79546e4344b14e8427f95a24e3a679890bd4c355cc6");
    }

    @Test
    void positionAndPredecessorAreBoundIntoTheHash() {
        byte[] atOne = ChainHash.entryHash(ChainHash.genesis(), 1, FIRST);
        assertThat(ChainHash.entryHash(ChainHash.genesis(), 2, FIRST)).isNotEqualTo(atOne);
        byte[] otherPrev = ChainHash.genesis();
        otherPrev[31] = 1;
        assertThat(ChainHash.entryHash(otherPrev, 1, FIRST)).isNotEqualTo(atOne);
    }

    @Test
    void refusesMalformedInputs() {
        assertThatThrownBy(() -> ChainHash.entryHash(new byte[31], 1, FIRST))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChainHash.entryHash(ChainHash.genesis(), 0, FIRST))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
