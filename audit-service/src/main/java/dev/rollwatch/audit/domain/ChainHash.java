package dev.rollwatch.audit.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash chain of the audit log, byte for byte as the README documents it so an auditor can recompute it:
 * {@code entry_hash = SHA-256("rollwatch-audit-v1" ‖ prev_hash ‖ position ‖ payload)} where the tag is 18 ASCII
 * bytes, {@code prev_hash} the 32-byte hash of the previous entry (32 zero bytes before position 1),
 * {@code position} 8 bytes big-endian and {@code payload} the exact bytes of the Kafka record value.
 */
public final class ChainHash {

    public static final byte[] DOMAIN_TAG = "rollwatch-audit-v1".getBytes(StandardCharsets.US_ASCII);
    public static final int LENGTH = 32;
    private static final byte[] GENESIS = new byte[LENGTH];
    private static final HexFormat HEX = HexFormat.of();

    private ChainHash() {
    }

    /** The {@code prev_hash} of the first entry: 32 zero bytes. */
    public static byte[] genesis() {
        return GENESIS.clone();
    }

    public static byte[] entryHash(byte[] prevHash, long position, byte[] payload) {
        if (prevHash == null || prevHash.length != LENGTH) {
            throw new IllegalArgumentException("prev_hash must be " + LENGTH + " bytes");
        }
        if (position < 1) {
            throw new IllegalArgumentException("position starts at 1, was " + position);
        }
        MessageDigest sha256 = sha256();
        sha256.update(DOMAIN_TAG);
        sha256.update(prevHash);
        sha256.update(ByteBuffer.allocate(Long.BYTES).putLong(position).array());
        sha256.update(payload);
        return sha256.digest();
    }

    public static String hex(byte[] hash) {
        return hash == null ? null : HEX.formatHex(hash);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
