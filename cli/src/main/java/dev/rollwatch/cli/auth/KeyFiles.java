package dev.rollwatch.cli.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local token-signing key pair: {@code jwt-private.pem} (PKCS#8 {@code PRIVATE KEY}, owner-only) signs the tokens
 * {@code rollwatch token} mints; {@code jwt-public.pem} (X.509 {@code PUBLIC KEY}) is what the services verify them
 * with ({@code ROLLWATCH_JWT_PUBLIC_KEY}). RSA 2048, JDK only.
 */
public final class KeyFiles {

    public static final String PRIVATE_FILE = "jwt-private.pem";
    public static final String PUBLIC_FILE = "jwt-public.pem";
    public static final int RSA_BITS = 2048;

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    /** What {@link #ensure} did. */
    public enum Outcome { EXISTED, CREATED, PUBLIC_KEY_RESTORED }

    /** A key file that cannot be used, with what to do about it. */
    public static class KeyException extends RuntimeException {
        public KeyException(String message) {
            super(message);
        }
    }

    private KeyFiles() {
    }

    /**
     * Makes {@code dir/jwt-private.pem} and {@code dir/jwt-public.pem} unless both exist. When only the private key
     * exists its public key is written again from it; a public key without its private key is left alone (it may be
     * another issuer's) and refused.
     */
    public static Outcome ensure(Path dir) throws IOException {
        Path priv = dir.resolve(PRIVATE_FILE);
        Path pub = dir.resolve(PUBLIC_FILE);
        boolean hasPrivate = Files.exists(priv);
        boolean hasPublic = Files.exists(pub);
        if (hasPrivate && hasPublic) {
            return Outcome.EXISTED;
        }
        if (hasPublic) {
            throw new KeyException(pub + " exists but " + priv + " does not: remove " + pub
                    + " to make a new pair (tokens signed by the old key will be refused), or point --key at its"
                    + " private key");
        }
        Files.createDirectories(dir);
        if (hasPrivate) {
            writeAtomically(pub, pem("PUBLIC KEY", publicKeyOf(readPrivateKey(priv)).getEncoded()), false);
            return Outcome.PUBLIC_KEY_RESTORED;
        }
        KeyPair pair = generate();
        // The private key first and owner-only from its first byte; the public key last, so that a pair is complete
        // once the public key is there.
        writeAtomically(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
        writeAtomically(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()), false);
        return Outcome.CREATED;
    }

    public static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(RSA_BITS);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is not available in this JDK", e);
        }
    }

    /** A PKCS#8 RSA private key from a PEM file, or a {@link KeyException} that says what is wrong. */
    public static PrivateKey readPrivateKey(Path file) {
        String text = read(file, "private key", "run './rollwatch keys' (or './rollwatch up') first, or pass"
                + " --key with the issuer's private key");
        Matcher m = PEM.matcher(text);
        if (!m.find()) {
            throw new KeyException(file + " is not a PEM file (expected -----BEGIN PRIVATE KEY-----)");
        }
        String type = m.group(1);
        if ("RSA PRIVATE KEY".equals(type)) {
            throw new KeyException(file + " is a PKCS#1 key (BEGIN RSA PRIVATE KEY); convert it to PKCS#8: openssl"
                    + " pkcs8 -topk8 -nocrypt -in " + file + " -out jwt-private.pem");
        }
        if (!"PRIVATE KEY".equals(type)) {
            throw new KeyException(file + " holds a " + type + ", not a PRIVATE KEY (PKCS#8)");
        }
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(decode(m.group(2))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new KeyException(file + " is not an RSA private key: " + e.getMessage());
        }
    }

    /** An X.509 RSA public key from a PEM file. */
    public static PublicKey readPublicKey(Path file) {
        String text = read(file, "public key", "run './rollwatch keys' first");
        Matcher m = PEM.matcher(text);
        if (!m.find() || !"PUBLIC KEY".equals(m.group(1))) {
            throw new KeyException(file + " is not a PEM PUBLIC KEY");
        }
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(decode(m.group(2))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new KeyException(file + " is not an RSA public key: " + e.getMessage());
        }
    }

    /** The public half of an RSA private key (a PKCS#8 RSA key carries the public exponent). */
    public static PublicKey publicKeyOf(PrivateKey key) {
        if (!(key instanceof RSAPrivateCrtKey crt)) {
            throw new KeyException("cannot derive the public key of this private key");
        }
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(crt.getModulus(),
                    crt.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static String read(Path file, String what, String hint) {
        if (!Files.exists(file)) {
            throw new KeyException("no " + what + " at " + file + ": " + hint);
        }
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new KeyException("cannot read the " + what + " " + file);
        }
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new KeyException("cannot read the " + what + " " + file + ": " + e.getMessage());
        }
    }

    private static byte[] decode(String base64) {
        return Base64.getMimeDecoder().decode(base64);
    }

    /**
     * Writes to a temporary file in the same directory (owner-only from creation when {@code secret}) and moves it
     * into place without replacing anything: two concurrent runs cannot leave half a file, and the loser's pair is
     * dropped in favour of the one that is there.
     */
    private static void writeAtomically(Path target, String content, boolean secret) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp;
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        if (posix) {
            Set<PosixFilePermission> perms = PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--");
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(perms);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", attr);
            Files.setPosixFilePermissions(tmp, perms); // the umask may have taken bits away from a public key
        } else {
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            if (secret) {
                var f = tmp.toFile();
                f.setReadable(false, false);
                f.setWritable(false, false);
                f.setReadable(true, true);
                f.setWritable(true, true);
            }
        }
        try {
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
