package dev.rollwatch.platform.secrets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretBoxTest {

    static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    static SecretBox box(Object... idsAndKeys) {
        LinkedHashMap<String, byte[]> keys = new LinkedHashMap<>();
        for (int i = 0; i < idsAndKeys.length; i += 2) {
            keys.put((String) idsAndKeys[i], (byte[]) idsAndKeys[i + 1]);
        }
        return new SecretBox(keys);
    }

    @Test
    void aSealedSecretOpensToItsPlaintextAndDoesNotContainIt() {
        SecretBox box = box("k1", key());
        String sealed = box.seal("whsec_c2VjcmV0LXNpZ25pbmcta2V5");
        assertThat(sealed).startsWith("rwsec:v1:k1:").doesNotContain("whsec_").doesNotContain("c2VjcmV0");
        assertThat(box.isSealed(sealed)).isTrue();
        assertThat(box.open(sealed)).isEqualTo("whsec_c2VjcmV0LXNpZ25pbmcta2V5");
        assertThat(box.seal("same")).isNotEqualTo(box.seal("same")); // a fresh nonce every time
    }

    @Test
    void aLegacyPlaintextValueIsAnsweredUnchanged() {
        SecretBox box = box("k1", key());
        assertThat(box.isSealed("R0UT1NGKEY0123456789abcdefABCDEF")).isFalse();
        assertThat(box.open("R0UT1NGKEY0123456789abcdefABCDEF")).isEqualTo("R0UT1NGKEY0123456789abcdefABCDEF");
        assertThat(box.open(null)).isNull();
        assertThat(box.needsSealing("R0UT1NGKEY0123456789abcdefABCDEF")).isTrue();
    }

    @Test
    void anAlteredValueIsRefused() {
        SecretBox box = box("k1", key());
        String sealed = box.seal("the secret");
        byte[] raw = Base64.getDecoder().decode(sealed.substring("rwsec:v1:k1:".length()));
        raw[raw.length - 20] ^= 1;
        String tampered = "rwsec:v1:k1:" + Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> box.open(tampered)).isInstanceOf(SecretBox.SecretUnreadable.class)
                .hasMessageContaining("'k1'").hasMessageNotContaining("the secret");
    }

    @Test
    void theKeyIdCannotBeSwappedForAnotherKeysId() {
        byte[] same = key();
        SecretBox box = box("old", same, "new", same);
        String sealed = box.seal("x");
        String relabelled = sealed.replace("rwsec:v1:new:", "rwsec:v1:old:");
        assertThatThrownBy(() -> box.open(relabelled)).isInstanceOf(SecretBox.SecretUnreadable.class);
    }

    @Test
    void rotationKeepsOldValuesReadableAndSealsWithTheNewKey() {
        byte[] k1 = key();
        String old = box("k1", k1).seal("old secret");
        SecretBox rotated = box("k1", k1, "k2", key());
        assertThat(rotated.currentKeyId()).isEqualTo("k2");
        assertThat(rotated.open(old)).isEqualTo("old secret");
        assertThat(rotated.needsSealing(old)).isTrue();
        String fresh = rotated.seal("new secret");
        assertThat(fresh).startsWith("rwsec:v1:k2:");
        assertThat(rotated.needsSealing(fresh)).isFalse();
    }

    @Test
    void aWrongKeyIsAnErrorThatNamesOnlyTheKeyId() {
        String sealed = box("k1", key()).seal("top secret");
        SecretBox other = box("k1", key());
        assertThatThrownBy(() -> other.open(sealed)).isInstanceOf(SecretBox.SecretUnreadable.class)
                .hasMessage("a secret sealed with key 'k1' cannot be opened: the key of that id is not the one it was "
                        + "sealed with, or the value was altered");
        assertThatThrownBy(() -> box("k9", key()).open(sealed)).isInstanceOf(SecretBox.SecretUnreadable.class)
                .hasMessageStartingWith("a secret is sealed with key 'k1', which is not configured");
    }

    @Test
    void aKeyFileListsKeysAndItsLastLineSeals(@TempDir Path dir) throws Exception {
        byte[] k1 = key();
        String old = box("2025", k1).seal("kept");
        Path file = dir.resolve("keys");
        Files.writeString(file, "# ring\n2025=" + Base64.getEncoder().encodeToString(k1) + "\n\n2026="
                + Base64.getEncoder().encodeToString(key()) + "\n");
        SecretBox box = SecretBox.fromKeyFile(file);
        assertThat(box.currentKeyId()).isEqualTo("2026");
        assertThat(box.open(old)).isEqualTo("kept");
        assertThat(box.seal("x")).startsWith("rwsec:v1:2026:");
    }

    @Test
    void theEnvironmentKeyHasTheIdEnv() {
        SecretBox box = new SecretBox(Optional.empty(), Optional.of(Base64.getEncoder().encodeToString(key())),
                "unused");
        assertThat(box.seal("x")).startsWith("rwsec:v1:env:");
    }

    @Test
    void withoutAKeyOneIsGeneratedOwnerOnlyAndKeptAcrossStarts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("var/secrets/secrets.key");
        SecretBox first = new SecretBox(Optional.empty(), Optional.empty(), file.toString());
        String sealed = first.seal("survives a restart");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        SecretBox again = new SecretBox(Optional.empty(), Optional.empty(), file.toString());
        assertThat(again.open(sealed)).isEqualTo("survives a restart");
    }

    @Test
    void aBadKeyIsRefusedAtStartWithoutPrintingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys");
        Files.writeString(file, "k1=c2hvcnQ=\n");
        assertThatThrownBy(() -> SecretBox.fromKeyFile(file)).hasMessageContaining("key 'k1' is 5 bytes")
                .hasMessageNotContaining("c2hvcnQ");
    }
}
