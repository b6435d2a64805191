package dev.rollwatch.audit.domain;

import dev.rollwatch.events.AuditCheckpointed;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventType;
import dev.rollwatch.events.NotificationDelivered;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checkpoint rules with a real Ed25519 key: what each catches, at which position, and what it lets pass. */
class CheckpointCheckTest {

    private static final KeyPair OURS = generate();
    private static final KeyPair OTHER = generate();
    private static final Instant SIGNED_AT = Instant.parse("2026-12-05T07:00:00Z");

    private final CheckpointCheck check = new CheckpointCheck(CheckpointCheckTest::signedByUs);

    @Test
    void aStoredCheckpointMatchingItsEntryIsCounted() {
        byte[] hash = hash(1000);
        assertThat(check.stored(sign(OURS, 1000, hash), hash)).isEmpty();
        assertThat(check.matched()).isEqualTo(1);
    }

    @Test
    void aStoredCheckpointOverAnotherHashOrWithABadSignatureFailsAtItsPosition() {
        assertThat(check.stored(sign(OURS, 1000, hash(1000)), hash(999))).contains(
                new ChainCheck.Failure(1000, "entry_hash differs from the signed checkpoint at this position"));
        assertThat(check.stored(sign(OTHER, 1000, hash(1000)), hash(1000))).hasValueSatisfying(f -> {
            assertThat(f.position()).isEqualTo(1000);
            assertThat(f.reason()).startsWith("the checkpoint at this position has an invalid signature");
        });
        assertThat(check.matched()).isZero();
    }

    @Test
    void aSignedCheckpointBeyondTheEndProvesTheMissingEntriesFromTheOneAfterTheEnd() {
        assertThat(check.beyondEnd(900, sign(OURS, 1000, hash(1000)))).contains(new ChainCheck.Failure(901,
                "signed checkpoint beyond the end of the log: the checkpoint at position 1000 was signed over "
                        + "entries the log no longer has (it ends at 900: 901..1000 are missing)"));
    }

    @Test
    void aForgedCheckpointBeyondTheEndIsReportedAtItsOwnPosition() {
        assertThat(check.beyondEnd(900, sign(OTHER, 950, hash(950)))).hasValueSatisfying(f -> {
            assertThat(f.position()).isEqualTo(950);
            assertThat(f.reason()).startsWith("checkpoint beyond the end of the log (900) with an invalid signature");
        });
    }

    @Test
    void beyondTheEndMeansAfterIt() {
        assertThatThrownBy(() -> check.beyondEnd(900, sign(OURS, 900, hash(900))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLoggedCheckpointWhoseRowIsGoneFailsAtTheCheckpointsPositionNamingTheEntry() {
        Checkpoint logged = sign(OURS, 1000, hash(1000));
        assertThat(check.logged(1003, logged, Optional.empty())).contains(new ChainCheck.Failure(1000,
                "checkpoint missing: the checkpoint signed at this position (logged as entry 1003) is not in "
                        + "audit_checkpoint"));
    }

    @Test
    void aLoggedCheckpointPassesWhenItsRowIsStoredUnchanged() {
        Checkpoint logged = sign(OURS, 1000, hash(1000));
        Checkpoint row = new Checkpoint(1000, hash(1000), logged.keyId(), logged.signature().clone(), SIGNED_AT);
        assertThat(check.logged(1003, logged, Optional.of(row))).isEmpty();
    }

    @Test
    void aLoggedCheckpointWhoseRowWasReplacedFails() {
        Checkpoint logged = sign(OURS, 1000, hash(1000));
        Checkpoint replaced = sign(OTHER, 1000, hash(999));
        assertThat(check.logged(1003, logged, Optional.of(replaced))).contains(new ChainCheck.Failure(1000,
                "the stored checkpoint at this position differs from the signed copy logged as entry 1003"));
    }

    @Test
    void aLoggedCheckpointNotSignedByUsProvesNothing() {
        assertThat(check.logged(1003, sign(OTHER, 1000, hash(1000)), Optional.empty())).isEmpty();
    }

    @Test
    void theCheckpointIsReadFromTheEventsStoredBytes() {
        Checkpoint signed = sign(OURS, 1000, hash(1000));
        byte[] payload = EventCodec.encode(Envelope.of("/rollwatch/audit-service", AuditCheckpointed.KEY,
                new AuditCheckpointed(1000, ChainHash.hex(signed.headHash()), "k1", "Ed25519",
                        Base64.getEncoder().encodeToString(signed.signature()), SIGNED_AT)));
        Checkpoint carried = CheckpointCheck.carriedBy(payload).orElseThrow();
        assertThat(carried.position()).isEqualTo(1000);
        assertThat(carried.headHash()).isEqualTo(signed.headHash());
        assertThat(carried.signature()).isEqualTo(signed.signature());
        assertThat(carried.keyId()).isEqualTo("k1");
        assertThat(signedByUs(carried)).isTrue();
    }

    @Test
    void bytesThatOnlyMentionTheCheckpointTypeCarryNoCheckpoint() {
        String type = EventType.AUDIT_CHECKPOINTED.type();
        byte[] notification = EventCodec.encode(Envelope.of("/rollwatch/notifier-service", "audit",
                new NotificationDelivered("oncall-pager", "webhook", "e1", type, 1, "200", SIGNED_AT)));
        assertThat(new String(notification, StandardCharsets.UTF_8)).contains(type);
        assertThat(CheckpointCheck.carriedBy(notification)).isEmpty();
        assertThat(CheckpointCheck.carriedBy(("{\"type\":\"" + type + "\"").getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
        assertThat(CheckpointCheck.carriedBy("{}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void indexOfFindsTheFirstOccurrence() {
        byte[] hay = "abcabd".getBytes(StandardCharsets.US_ASCII);
        assertThat(CheckpointCheck.indexOf(hay, "abd".getBytes(StandardCharsets.US_ASCII))).isEqualTo(3);
        assertThat(CheckpointCheck.indexOf(hay, "abe".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
        assertThat(CheckpointCheck.indexOf("ab".getBytes(StandardCharsets.US_ASCII), hay)).isEqualTo(-1);
    }

    private static byte[] hash(long position) {
        return ChainHash.entryHash(ChainHash.genesis(), position, new byte[] {(byte) position});
    }

    private static Checkpoint sign(KeyPair key, long position, byte[] headHash) {
        try {
            Signature ed = Signature.getInstance("Ed25519");
            ed.initSign(key.getPrivate());
            ed.update(Checkpoint.message(position, headHash));
            return new Checkpoint(position, headHash, key == OURS ? "ours" : "other", ed.sign(), SIGNED_AT);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean signedByUs(Checkpoint checkpoint) {
        try {
            Signature ed = Signature.getInstance("Ed25519");
            ed.initVerify(OURS.getPublic());
            ed.update(Checkpoint.message(checkpoint.position(), checkpoint.headHash()));
            return ed.verify(checkpoint.signature());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
