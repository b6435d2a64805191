package dev.rollwatch.audit.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class CheckpointKeyFileTest {

    @Test
    void theSigningKeyIsReadableByItsOwnerOnlyAndReplacesALeftover(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("keys/checkpoint.key");
        Files.createDirectories(key.getParent());
        Files.writeString(key, "left over from a crash between the two writes");

        CheckpointSigner.writeOwnerOnly(key, new byte[] {1, 2, 3});

        assertThat(Files.readAllBytes(key)).containsExactly(1, 2, 3);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }
}
