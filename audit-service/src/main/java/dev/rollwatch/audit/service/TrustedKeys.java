package dev.rollwatch.audit.service;

import dev.rollwatch.audit.config.AuditConfig;
import dev.rollwatch.audit.domain.Checkpoint;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The public keys that verify checkpoints, by key id: pinned in configuration
 * ({@code rollwatch.audit.checkpoint.trusted-keys}), so neither a row in the database nor a replaced key file can
 * make a re-signed checkpoint verify; after a key rotation the retired public keys stay in the list and the
 * checkpoints they signed stay verifiable. Without the setting only the signing key's own public key is trusted.
 */
@ApplicationScoped
public class TrustedKeys {

    private static final Logger LOG = Logger.getLogger(TrustedKeys.class);

    /** One trusted key as the API shows it. */
    public record Key(String keyId, PublicKey publicKey) {
    }

    private final Map<String, PublicKey> byId = new LinkedHashMap<>();
    private final boolean pinned;

    public TrustedKeys(AuditConfig config, CheckpointSigner signer) {
        List<String> configured = config.checkpoint().trustedKeys().orElse(List.of());
        this.pinned = !configured.isEmpty();
        if (pinned) {
            for (String value : configured) {
                PublicKey key = parse(value.trim());
                byId.put(CheckpointSigner.keyId(key), key);
            }
            if (!byId.containsKey(signer.keyId())) {
                LOG.warnf("audit checkpoint signing key %s is not among the trusted keys %s: the checkpoints it "
                        + "signs will not verify until its public key is added to "
                        + "rollwatch.audit.checkpoint.trusted-keys", signer.keyId(), byId.keySet());
            }
            LOG.infof("audit checkpoints verified with the pinned keys %s", byId.keySet());
        } else {
            byId.put(signer.keyId(), signer.publicKeyObject());
            LOG.warnf("audit checkpoint keys are not pinned (rollwatch.audit.checkpoint.trusted-keys unset): verify "
                    + "trusts the signing key's own public key %s, so whoever can replace the key file can re-sign",
                    signer.keyId());
        }
    }

    /** True when the checkpoint's signature verifies with the trusted key its key id names. */
    public boolean verify(Checkpoint checkpoint) {
        PublicKey key = checkpoint.keyId() == null ? null : byId.get(checkpoint.keyId());
        if (key == null) {
            return false;
        }
        try {
            Signature ed = Signature.getInstance("Ed25519");
            ed.initVerify(key);
            ed.update(Checkpoint.message(checkpoint.position(), checkpoint.headHash()));
            return ed.verify(checkpoint.signature());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    public boolean pinned() {
        return pinned;
    }

    public List<Key> keys() {
        return byId.entrySet().stream().map(e -> new Key(e.getKey(), e.getValue())).toList();
    }

    static PublicKey parse(String value) {
        try {
            byte[] der;
            if (value.startsWith("file:")) {
                Path path = Path.of(value.substring("file:".length()));
                byte[] content = Files.readAllBytes(path);
                String text = new String(content, StandardCharsets.US_ASCII);
                der = text.contains("-----BEGIN PUBLIC KEY-----")
                        ? Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""))
                        : content;
            } else {
                der = Base64.getDecoder().decode(value);
            }
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a trusted checkpoint key: " + value, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("rollwatch.audit.checkpoint.trusted-keys: not an Ed25519 public key "
                    + "(base64 X.509 DER, or file:<path>): " + value, e);
        }
    }
}
