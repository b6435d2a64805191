package dev.rollwatch.audit.domain;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChainHashTest {

    private static final byte[] FIRST = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

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
