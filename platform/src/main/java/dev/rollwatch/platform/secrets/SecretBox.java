package dev.rollwatch.platform.secrets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Secrets at rest (channel secrets, target signing secrets): {@link #seal} encrypts with AES-256-GCM under the
 * current key and answers {@code rwsec:v1:<keyId>:<base64(nonce | ciphertext | tag)>} (a random 96-bit nonce per
 * value; {@code rwsec:v1:<keyId>} is the additional authenticated data, so the key id cannot be swapped).
 * {@link #open} answers the plaintext; a value that is not sealed (a row written before sealing) is answered
 * unchanged, so existing rows keep working until they are sealed.
 * <p>
 * Keys, docs/security.md "Secrets at rest":
 * <ul>
 * <li>{@code rollwatch.secrets.key-file}: lines {@code <keyId>=<base64 of 32 bytes>}; the <em>last</em> line is the
 * current key (new seals), the lines before it keep values sealed with them readable (rotation: append a line,
 * re-seal, then drop the old line).</li>
 * <li>{@code ROLLWATCH_SECRETS_KEY} ({@code rollwatch.secrets.key}): one base64 key, id {@code env}. With a key file
 * as well it is an older key (readable, never used to seal): moving from it to a file is a rotation.</li>
 * <li>neither: {@code rollwatch.secrets.generated-key-file} ({@code var/secrets/secrets.key}) is used, created
 * owner-only (0600) with a new key on first start, with a WARN: production must supply its own key.</li>
 * </ul>
 * No key and no plaintext is ever logged; errors name only the key id.
 */
@ApplicationScoped
public class SecretBox {

    /** The prefix of every sealed value. */
    public static final String PREFIX = "rwsec:v1:";
    /** The key id of {@code ROLLWATCH_SECRETS_KEY}. */
    public static final String ENV_KEY_ID = "env";

    private static final Logger LOG = Logger.getLogger(SecretBox.class);
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A sealed value that cannot be opened (unknown key, wrong key, altered or malformed value). */
    public static final class SecretUnreadable extends RuntimeException {
        public SecretUnreadable(String message) {
            super(message);
        }
    }

    private final Map<String, SecretKey> keys;
    private final String currentKeyId;

    @Inject
    public SecretBox(@ConfigProperty(name = "rollwatch.secrets.key-file") Optional<String> keyFile,
            @ConfigProperty(name = "rollwatch.secrets.key") Optional<String> key,
            @ConfigProperty(name = "rollwatch.secrets.generated-key-file", defaultValue = "var/secrets/secrets.key")
            String generatedKeyFile) {
        this(ring(keyFile.filter(s -> !s.isBlank()).map(Path::of), key.filter(s -> !s.isBlank()),
                Path.of(generatedKeyFile)));
    }

    private SecretBox(Ring ring) {
        this(ring.keys, ring.current);
    }

    /** A box over {@code keys} in order: the last one is the current key. */
    public SecretBox(LinkedHashMap<String, byte[]> keys) {
        this(toKeys(keys), lastKey(keys));
    }

    private SecretBox(Map<String, SecretKey> keys, String currentKeyId) {
        this.keys = Map.copyOf(keys);
        this.currentKeyId = currentKeyId;
    }

    /** A box over the keys of a key file (the format of {@code rollwatch.secrets.key-file}). */
    public static SecretBox fromKeyFile(Path file) {
        return new SecretBox(readKeyFile(file));
    }

    /** The id of the key new values are sealed with. */
    public String currentKeyId() {
        return currentKeyId;
    }

    /** Whether {@code stored} is a sealed value (else it is legacy plaintext, or null). */
    public boolean isSealed(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    /** The key id a sealed value names, or empty for plaintext. */
    public Optional<String> keyIdOf(String stored) {
        if (!isSealed(stored)) {
            return Optional.empty();
        }
        int end = stored.indexOf(':', PREFIX.length());
        return end < 0 ? Optional.empty() : Optional.of(stored.substring(PREFIX.length(), end));
    }

    /** Whether {@code stored} should be (re-)sealed: plaintext, or sealed with a key other than the current one. */
    public boolean needsSealing(String stored) {
        return stored != null && !keyIdOf(stored).map(currentKeyId::equals).orElse(false);
    }

    /** {@code plaintext} sealed with the current key; null stays null. */
    public String seal(String plaintext) {
        if (plaintext == null) {
            return null;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(currentKeyId));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return PREFIX + currentKeyId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available to seal with key " + currentKeyId, e);
        }
    }

    /**
     * The plaintext of a stored value: a sealed one decrypted, anything else (legacy plaintext) unchanged; null stays
     * null.
     *
     * @throws SecretUnreadable when a sealed value names an unknown key, or its key does not open it
     */
    public String open(String stored) {
        if (!isSealed(stored)) {
            return stored;
        }
        int end = stored.indexOf(':', PREFIX.length());
        if (end < 0) {
            throw new SecretUnreadable("a sealed secret is malformed (no key id)");
        }
        String keyId = stored.substring(PREFIX.length(), end);
        SecretKey key = keys.get(keyId);
        if (key == null) {
            throw new SecretUnreadable("a secret is sealed with key '" + keyId + "', which is not configured "
                    + "(rollwatch.secrets.key-file keeps old keys readable)");
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(stored.substring(end + 1));
        } catch (IllegalArgumentException e) {
            throw new SecretUnreadable("a secret sealed with key '" + keyId + "' is malformed");
        }
        if (data.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SecretUnreadable("a secret sealed with key '" + keyId + "' is malformed");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(aad(keyId));
            byte[] plain = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SecretUnreadable("a secret sealed with key '" + keyId + "' cannot be opened: the key of that "
                    + "id is not the one it was sealed with, or the value was altered");
        } catch (GeneralSecurityException e) {
            throw new SecretUnreadable("a secret sealed with key '" + keyId + "' cannot be opened");
        }
    }

    private static byte[] aad(String keyId) {
        return (PREFIX + keyId).getBytes(StandardCharsets.UTF_8);
    }

    // ---- keys ----

    private record Ring(Map<String, SecretKey> keys, String current) {
    }

    private static Ring ring(Optional<Path> keyFile, Optional<String> envKey, Path generated) {
        LinkedHashMap<String, byte[]> keys = new LinkedHashMap<>();
        envKey.ifPresent(k -> keys.put(ENV_KEY_ID, decodeKey(ENV_KEY_ID, k, "ROLLWATCH_SECRETS_KEY")));
        if (keyFile.isPresent()) {
            Ring file = readKeyFile(keyFile.get());
            if (file.keys.containsKey(ENV_KEY_ID) && envKey.isPresent()) {
                throw new IllegalStateException("rollwatch.secrets.key-file " + keyFile.get() + " has a key with id '"
                        + ENV_KEY_ID + "', the id of ROLLWATCH_SECRETS_KEY: rename it");
            }
            Map<String, SecretKey> all = new LinkedHashMap<>(toKeys(keys));
            all.putAll(file.keys);
            LOG.infof("secrets: %d key(s) from %s, sealing with key '%s'%s", file.keys.size(), keyFile.get(),
                    file.current, envKey.isPresent() ? "; ROLLWATCH_SECRETS_KEY (id 'env') only opens old values" : "");
            return new Ring(all, file.current);
        }
        if (!keys.isEmpty()) {
            LOG.infof("secrets: sealing with ROLLWATCH_SECRETS_KEY (key id '%s')", ENV_KEY_ID);
            return new Ring(toKeys(keys), ENV_KEY_ID);
        }
        if (!Files.exists(generated)) {
            generate(generated);
        }
        Ring ring = readKeyFile(generated);
        LOG.warnf("secrets: no rollwatch.secrets.key-file or ROLLWATCH_SECRETS_KEY configured; secrets at rest are "
                + "sealed with the generated key '%s' in %s (owner-only). Production must supply its own key "
                + "(docs/security.md, \"Secrets at rest\"): whoever reads this file and the database reads the "
                + "secrets, and losing it loses them", ring.current, generated.toAbsolutePath());
        return ring;
    }

    /** Writes a key file with one new random key, owner-only, never replacing one that exists. */
    static void generate(Path file) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        String id = "gen-" + DateTimeFormatter.ofPattern("yyyyMMddHHmmss").format(ZonedDateTime.now(ZoneOffset.UTC));
        String content = "# Rollwatch secrets key ring: <keyId>=<base64 of 32 bytes>; the last line seals.\n"
                + id + "=" + Base64.getEncoder().encodeToString(key) + "\n";
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = ownerOnly(dir, file.getFileName() + ".");
            Files.writeString(tmp, content);
            try {
                Files.createLink(file, tmp); // fails if another process created it meanwhile: keep theirs
            } catch (FileAlreadyExistsException e) {
                // another service sharing the directory won: use its key
            } catch (UnsupportedOperationException | IOException e) {
                if (!Files.exists(file)) {
                    Files.move(tmp, file);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the secrets key file " + file, e);
        }
    }

    private static Path ownerOnly(Path dir, String prefix) throws IOException {
        try {
            return Files.createTempFile(dir, prefix, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return Files.createTempFile(dir, prefix, ".tmp");
        }
    }

    static Ring readKeyFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the secrets key file " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        warnIfOpen(file);
        LinkedHashMap<String, byte[]> keys = new LinkedHashMap<>();
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalStateException("secrets key file " + file + " line " + n
                        + ": expected <keyId>=<base64 of 32 bytes>");
            }
            String id = line.substring(0, eq).strip();
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalStateException("secrets key file " + file + " line " + n
                        + ": a key id is 1-64 letters, digits, . _ -");
            }
            if (keys.containsKey(id)) {
                throw new IllegalStateException("secrets key file " + file + " line " + n + ": key id '" + id
                        + "' appears twice");
            }
            keys.put(id, decodeKey(id, line.substring(eq + 1).strip(), "secrets key file " + file + " line " + n));
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("secrets key file " + file + " has no key");
        }
        return new Ring(toKeys(keys), lastKey(keys));
    }

    private static void warnIfOpen(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warnf("secrets: key file %s is readable by group or others (%s); make it owner-only (0600)",
                        file, PosixFilePermissions.toString(perms));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }

    private static byte[] decodeKey(String id, String base64, String where) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + ": key '" + id + "' is not base64");
        }
        if (key.length != 32) {
            throw new IllegalStateException(where + ": key '" + id + "' is " + key.length
                    + " bytes, AES-256 needs 32");
        }
        return key;
    }

    private static Map<String, SecretKey> toKeys(LinkedHashMap<String, byte[]> keys) {
        Map<String, SecretKey> out = new LinkedHashMap<>();
        keys.forEach((id, k) -> {
            if (!KEY_ID.matcher(id).matches() || k.length != 32) {
                throw new IllegalArgumentException("key '" + id + "': ids are 1-64 letters, digits, . _ -, keys 32 "
                        + "bytes");
            }
            out.put(id, new SecretKeySpec(k, "AES"));
        });
        return out;
    }

    private static String lastKey(LinkedHashMap<String, byte[]> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no key");
        }
        String last = null;
        for (String id : keys.keySet()) {
            last = id;
        }
        return last;
    }
}
