package dev.rollwatch.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the audit service ({@code rollwatch.audit.*}). */
@ConfigMapping(prefix = "rollwatch.audit")
public interface AuditConfig {

    /** Query: entries per page when {@code limit} is not given. */
    @WithDefault("100")
    int defaultLimit();

    /** Query: the largest {@code limit} a client may ask for. */
    @WithDefault("1000")
    int maxLimit();

    /** Rows fetched per round trip by the streaming export and by verify (memory stays constant). */
    @WithDefault("500")
    int fetchSize();

    /** Stream with {@code follow=true}: how often to look for new entries once caught up. */
    @WithDefault("250ms")
    Duration followPollInterval();

    /** Stream with {@code follow=true}: a heartbeat newline after this much silence, so proxies keep the line open. */
    @WithDefault("15s")
    Duration followHeartbeat();

    /** Signed checkpoints. */
    CheckpointConfig checkpoint();

    /** The database logins (issue 17, 3b). */
    DbConfig db();

    interface DbConfig {
        /**
         * The password of the runtime login {@code rollwatch_audit_app} (env {@code ROLLWATCH_AUDIT_DB_APP_PASSWORD});
         * the migrations give the role this password, the pool logs in with it. The default in application.properties
         * is for the embedded stack and the tests: production sets its own.
         */
        String appPassword();
    }

    interface CheckpointConfig {
        /** How often to sign a checkpoint of the head, if the log grew since the last one. */
        @WithDefault("60s")
        Duration interval();

        /** Sign sooner once this many entries were appended since the last checkpoint (checked every few seconds). */
        @WithDefault("1000")
        long everyEntries();

        /**
         * Where the Ed25519 key pair lives (PKCS#8 private key in {@code <path>}, X.509 public key in
         * {@code <path>.pub}, both DER); generated there on first start if absent.
         */
        @WithDefault("var/audit/checkpoint-key")
        String keyPath();

        /**
         * The public keys verify trusts, pinned in configuration (never read from the database): each an Ed25519
         * X.509 DER public key in base64, or {@code file:<path>} of one (DER or PEM). A checkpoint verifies only
         * with the trusted key its {@code keyId} names, so after a rotation the old public key stays in the list and
         * old checkpoints stay verifiable. Unset: only the signing key's own public key is trusted (not pinned: whoever
         * can replace the key file can re-sign; a WARN says so at start).
         */
        java.util.Optional<java.util.List<String>> trustedKeys();
    }
}
