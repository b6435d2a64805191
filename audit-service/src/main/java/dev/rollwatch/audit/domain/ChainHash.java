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
    public static final byte[] DOMAIN_TAG_V2 = "rollwatch-audit-v2".getBytes(StandardCharsets.US_ASCII);
    /** Version 1: tag, prev_hash, position, payload (entries appended before V6). */
    public static final int V1 = 1;
    /** Version 2: version 1 plus where the event was read from and when it was recorded (the columns not in the bytes). */
    public static final int V2 = 2;
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

    /**
     * Version 2: {@code SHA-256("rollwatch-audit-v2" ‖ prev_hash ‖ position ‖ len(topic) ‖ topic ‖ partition ‖ offset
     * ‖ recorded_at ‖ payload)} with {@code len(topic)} 2 bytes and the topic UTF-8, {@code partition} 4 bytes,
     * {@code offset} 8 bytes, {@code recorded_at} microseconds since the epoch in 8 bytes, all big-endian. The header
     * columns (source, id, type, subject, time, causation, correlation) are in the payload already; verify
     * re-derives them from it.
     */
    public static byte[] entryHashV2(byte[] prevHash, long position, String topic, int partition, long offset,
            java.time.Instant recordedAt, byte[] payload) {
        if (prevHash == null || prevHash.length != LENGTH) {
            throw new IllegalArgumentException("prev_hash must be " + LENGTH + " bytes");
        }
        if (position < 1) {
            throw new IllegalArgumentException("position starts at 1, was " + position);
        }
        byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        if (topicBytes.length > 0xFFFF) {
            throw new IllegalArgumentException("topic too long");
        }
        long micros = Math.addExact(Math.multiplyExact(recordedAt.getEpochSecond(), 1_000_000L),
                recordedAt.getNano() / 1_000);
        MessageDigest sha256 = sha256();
        sha256.update(DOMAIN_TAG_V2);
        sha256.update(prevHash);
        sha256.update(ByteBuffer.allocate(Long.BYTES + Short.BYTES).putLong(position)
                .putShort((short) topicBytes.length).array());
        sha256.update(topicBytes);
        sha256.update(ByteBuffer.allocate(Integer.BYTES + 2 * Long.BYTES).putInt(partition).putLong(offset)
                .putLong(micros).array());
        sha256.update(payload);
        return sha256.digest();
    }

    /** The hash of a stored entry by its own version's formula. */
    public static byte[] of(StoredEntry e) {
        return switch (e.hashVersion()) {
            case V1 -> entryHash(e.prevHash(), e.position(), e.payload());
            case V2 -> entryHashV2(e.prevHash(), e.position(), e.topic(), e.partition(), e.offset(), e.recordedAt(),
                    e.payload());
            default -> throw new IllegalArgumentException("unknown hash version " + e.hashVersion());
        };
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
