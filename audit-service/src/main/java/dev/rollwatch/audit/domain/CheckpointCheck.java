package dev.rollwatch.audit.domain;

import dev.rollwatch.events.AuditCheckpointed;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventType;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the signed checkpoints say about a verified stretch of the log. Three rules, each answering with the first
 * failure it sees (a {@link ChainCheck.Failure}) or nothing:
 * <ol>
 * <li>{@link #stored}: a stored checkpoint at a verified position carries a valid signature over exactly that
 * entry's hash (catches a chain rewritten with recomputed hashes);</li>
 * <li>{@link #logged}: a checkpoint event in the log whose signature verifies names a checkpoint the service
 * stored in the same transaction as it published the event, so that checkpoint row must still be there, unchanged
 * (catches a deleted or replaced checkpoint row; the event itself is covered by the chain);</li>
 * <li>{@link #beyondEnd}: the service signs only its head, under the head lock, so no stored checkpoint can lie
 * after the end of the log; one that does proves entries up to its position existed (catches a truncated tail
 * with the head moved back).</li>
 * </ol>
 * Pure apart from the signature check, which is given ({@code signedByUs}), so the rules are tested directly.
 */
public final class CheckpointCheck {

    /** The CloudEvents type of a checkpoint event, as it appears in the stored bytes. */
    private static final byte[] CHECKPOINT_TYPE = EventType.AUDIT_CHECKPOINTED.type()
            .getBytes(StandardCharsets.US_ASCII);

    private final Predicate<Checkpoint> signedByUs;
    private long matched;

    public CheckpointCheck(Predicate<Checkpoint> signedByUs) {
        this.signedByUs = signedByUs;
    }

    /** Rule 1: the stored checkpoint at a verified entry's position, against that entry's hash. */
    public Optional<ChainCheck.Failure> stored(Checkpoint stored, byte[] entryHash) {
        if (!signedByUs.test(stored)) {
            return fail(stored.position(), "the checkpoint at this position has an invalid signature or is not "
                    + "signed by a trusted key (key " + stored.keyId() + ")");
        }
        if (!Arrays.equals(stored.headHash(), entryHash)) {
            return fail(stored.position(), "entry_hash differs from the signed checkpoint at this position");
        }
        matched++;
        return Optional.empty();
    }

    /**
     * Rule 2: the entry at {@code entryPosition} carries checkpoint {@code logged}; {@code stored} is what
     * {@code audit_checkpoint} holds at the position it names. A logged checkpoint whose signature does not verify
     * is no evidence of anything (and the log keeps whatever it received), so it is passed over.
     */
    public Optional<ChainCheck.Failure> logged(long entryPosition, Checkpoint logged, Optional<Checkpoint> stored) {
        if (!signedByUs.test(logged)) {
            return Optional.empty();
        }
        if (stored.isEmpty()) {
            return fail(logged.position(), "checkpoint missing: the checkpoint signed at this position (logged as "
                    + "entry " + entryPosition + ") is not in audit_checkpoint");
        }
        if (!Arrays.equals(stored.get().headHash(), logged.headHash())
                || !Arrays.equals(stored.get().signature(), logged.signature())) {
            return fail(logged.position(), "the stored checkpoint at this position differs from the signed copy "
                    + "logged as entry " + entryPosition);
        }
        return Optional.empty();
    }

    /**
     * Rule 3: {@code first} is the first stored checkpoint after {@code end}, the last position of a verification
     * that reached the head. Its very existence is the failure; the signature only decides what it proves.
     */
    public Optional<ChainCheck.Failure> beyondEnd(long end, Checkpoint first) {
        if (first.position() <= end) {
            throw new IllegalArgumentException("checkpoint " + first.position() + " is not after " + end);
        }
        if (!signedByUs.test(first)) {
            return fail(first.position(), "checkpoint beyond the end of the log (" + end + ") with an invalid "
                    + "signature (key " + first.keyId() + "): written outside the service");
        }
        return fail(end + 1, "signed checkpoint beyond the end of the log: the checkpoint at position "
                + first.position() + " was signed over entries the log no longer has (it ends at " + end + ": "
                + (end + 1) + ".." + first.position() + " are missing)");
    }

    /** Stored checkpoints that matched their entry (rule 1). */
    public long matched() {
        return matched;
    }

    /**
     * The checkpoint an entry's stored bytes carry, if they are an {@code AuditCheckpointed} event. Read from the
     * bytes the chain covers, never from the entry's indexed columns ({@code event_type}, {@code source}), which
     * are not hashed and could be changed to hide the event. Bytes that merely mention the type (a notification
     * about a checkpoint, say) or do not decode are no checkpoint.
     */
    public static Optional<Checkpoint> carriedBy(byte[] payload) {
        if (indexOf(payload, CHECKPOINT_TYPE) < 0) {
            return Optional.empty(); // the cheap test first: every entry passes through here
        }
        try {
            if (!(EventCodec.decode(payload).data() instanceof AuditCheckpointed cp)) {
                return Optional.empty();
            }
            return Optional.of(new Checkpoint(cp.size(), HexFormat.of().parseHex(cp.headHash()), cp.keyId(),
                    Base64.getDecoder().decode(cp.signature()), cp.signedAt()));
        } catch (RuntimeException notACheckpoint) { // InvalidEventException, bad hex or base64
            return Optional.empty();
        }
    }

    private static Optional<ChainCheck.Failure> fail(long position, String reason) {
        return Optional.of(new ChainCheck.Failure(position, reason));
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
