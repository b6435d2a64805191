package dev.rollwatch.audit.service;

import dev.rollwatch.audit.config.AuditConfig;
import dev.rollwatch.audit.domain.ChainHash;
import dev.rollwatch.audit.domain.Checkpoint;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/** The Ed25519 key that signs checkpoints: loaded from {@code key-path}, or generated and stored there. */
@ApplicationScoped
public class CheckpointSigner {

    private static final Logger LOG = Logger.getLogger(CheckpointSigner.class);

    private final KeyPair keys;
    private final String keyId;

    public CheckpointSigner(AuditConfig config) {
        this.keys = loadOrGenerate(Path.of(config.checkpoint().keyPath()));
        this.keyId = keyId(keys.getPublic());
    }

    public Checkpoint sign(long position, byte[] headHash) {
        try {
            Signature ed = Signature.getInstance("Ed25519");
            ed.initSign(keys.getPrivate());
            ed.update(Checkpoint.message(position, headHash));
            return new Checkpoint(position, headHash, keyId, ed.sign(), Instant.now().truncatedTo(ChronoUnit.MICROS));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a checkpoint", e);
        }
    }

    /** The signing key's public half (what {@link TrustedKeys} trusts when no keys are pinned). */
    PublicKey publicKeyObject() {
        return keys.getPublic();
    }

    /** The public key, X.509 SubjectPublicKeyInfo DER (what {@code openssl pkey -pubin -inform DER} reads). */
    public byte[] publicKey() {
        return keys.getPublic().getEncoded();
    }

    public String keyId() {
        return keyId;
    }

    /** First 16 hex digits of SHA-256 of the DER public key. */
    static String keyId(PublicKey key) {
        try {
            return ChainHash.hex(Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()), 8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates the file readable by its owner only from the first byte on (no window in which another user could
     * read the key), falling back to a plain write on a file system without POSIX permissions.
     */
    static void writeOwnerOnly(Path path, byte[] content) throws IOException {
        Files.deleteIfExists(path);
        try {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(path);
        }
        Files.write(path, content, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static KeyPair loadOrGenerate(Path privatePath) {
        Path publicPath = Path.of(privatePath + ".pub");
        try {
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            if (Files.exists(privatePath) && Files.exists(publicPath)) {
                PrivateKey priv = factory.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(privatePath)));
                PublicKey pub = factory.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(publicPath)));
                LOG.infof("audit checkpoint key loaded from %s (keyId=%s)", privatePath, keyId(pub));
                return new KeyPair(pub, priv);
            }
            KeyPair generated = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            if (privatePath.toAbsolutePath().getParent() != null) {
                Files.createDirectories(privatePath.toAbsolutePath().getParent());
            }
            writeOwnerOnly(privatePath, generated.getPrivate().getEncoded());
            Files.write(publicPath, generated.getPublic().getEncoded());
            LOG.infof("audit checkpoint key generated at %s (keyId=%s)", privatePath, keyId(generated.getPublic()));
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the checkpoint key at " + privatePath, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the checkpoint key at " + privatePath, e);
        }
    }
}
