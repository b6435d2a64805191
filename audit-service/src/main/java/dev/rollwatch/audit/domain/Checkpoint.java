package dev.rollwatch.audit.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A signed statement "the log had {@code position} entries and this head hash". The signed message is
 * {@code "rollwatch-audit-checkpoint-v1" ‖ position (8 bytes big-endian) ‖ head_hash (32 bytes)}, Ed25519.
 */
public record Checkpoint(long position, byte[] headHash, String keyId, byte[] signature, Instant signedAt) {

    public static final byte[] TAG = "rollwatch-audit-checkpoint-v1".getBytes(StandardCharsets.US_ASCII);

    public static byte[] message(long position, byte[] headHash) {
        return ByteBuffer.allocate(TAG.length + Long.BYTES + headHash.length).put(TAG).putLong(position)
                .put(headHash).array();
    }
}
