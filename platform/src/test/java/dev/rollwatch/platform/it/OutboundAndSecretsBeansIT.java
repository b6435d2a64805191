package dev.rollwatch.platform.it;

import dev.rollwatch.platform.http.OutboundUrlPolicy;
import dev.rollwatch.platform.secrets.SecretBox;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The beans every service injects, as configuration makes them: the outbound policy from
 * {@code rollwatch.outbound.*} (the test profile allows loopback; an environment's allow-list by its quoted name)
 * and the secret box from {@code rollwatch.secrets.key-file}.
 */
@QuarkusTest
@TestProfile(OutboundAndSecretsBeansIT.Configured.class)
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class OutboundAndSecretsBeansIT {

    public static class Configured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path keys = Files.createTempFile("rollwatch-secrets", ".key");
                byte[] k1 = new byte[32];
                byte[] k2 = new byte[32];
                new SecureRandom().nextBytes(k1);
                new SecureRandom().nextBytes(k2);
                Files.writeString(keys, "old=" + Base64.getEncoder().encodeToString(k1) + "\ncurrent="
                        + Base64.getEncoder().encodeToString(k2) + "\n");
                keys.toFile().deleteOnExit();
                return Map.of("rollwatch.outbound.environments.\"eu.staging\".allowed", "10.1.0.0/16",
                        "rollwatch.outbound.allowed", "192.168.7.0/24",
                        "rollwatch.secrets.key-file", keys.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    OutboundUrlPolicy policy;

    @Inject
    SecretBox box;

    @Test
    void thePolicyComesFromTheOutboundKeys() {
        assertThat(policy.allowLoopback()).isTrue(); // %test
        assertThat(policy.check("http://127.0.0.1:1/x").address().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(policy.check("http://10.1.2.3/x", "eu.staging")).isNotNull();
        assertThat(policy.check("http://192.168.7.9/x", "prod")).isNotNull();
        assertThatThrownBy(() -> policy.check("http://10.1.2.3/x", "prod"))
                .isInstanceOf(OutboundUrlPolicy.RefusedDestination.class);
        assertThatThrownBy(() -> policy.check("http://169.254.169.254/latest/meta-data/"))
                .isInstanceOf(OutboundUrlPolicy.RefusedDestination.class);
    }

    @Test
    void theSecretBoxSealsWithTheKeyFilesLastKey() {
        assertThat(box.currentKeyId()).isEqualTo("current");
        String sealed = box.seal("a secret");
        assertThat(sealed).startsWith("rwsec:v1:current:");
        assertThat(box.open(sealed)).isEqualTo("a secret");
    }
}
