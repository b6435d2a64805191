package dev.rollwatch.events;

import java.time.Instant;

/**
 * The audit service signed the head of its hash chain: the log's first {@code size} entries end in
 * {@code headHash} (hex), signed with key {@code keyId} using {@code algorithm} ({@code Ed25519});
 * {@code signature} is base64. Topic {@code audit-checkpoints}, key = {@code audit} (also the subject).
 */
public record AuditCheckpointed(long size, String headHash, String keyId, String algorithm, String signature,
        Instant signedAt) implements EventData {

    /** The Kafka key (and subject) of every checkpoint. */
    public static final String KEY = "audit";

    public AuditCheckpointed {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        Require.text(headHash, "headHash");
        Require.text(keyId, "keyId");
        Require.text(algorithm, "algorithm");
        Require.text(signature, "signature");
        Require.present(signedAt, "signedAt");
    }
}
