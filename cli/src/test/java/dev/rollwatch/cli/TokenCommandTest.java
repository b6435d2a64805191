package dev.rollwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.cli.auth.KeyFiles;
import dev.rollwatch.cli.http.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCommandTest {

    @Test
    void keysCreatesAnOwnerOnlyPkcs8PrivateKeyAndAnX509PublicKeyOnceOnly(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("var/keys");
        StubServer.Run first = cli("keys", "--dir", keys.toString());

        assertThat(first.exitCode()).as(first.err()).isEqualTo(0);
        assertThat(first.out()).startsWith("created a token-signing key pair:")
                .contains(keys.resolve("jwt-private.pem").toAbsolutePath().toString())
                .contains(keys.resolve("jwt-public.pem").toAbsolutePath().toString());
        String priv = Files.readString(keys.resolve("jwt-private.pem"));
        String pub = Files.readString(keys.resolve("jwt-public.pem"));
        assertThat(priv).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        assertThat(pub).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("jwt-private.pem"))))
                .isEqualTo("rw-------");
        assertThat(KeyFiles.publicKeyOf(KeyFiles.readPrivateKey(keys.resolve("jwt-private.pem"))))
                .isEqualTo(KeyFiles.readPublicKey(keys.resolve("jwt-public.pem")));
        try (var files = Files.list(keys)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("jwt-private.pem",
                    "jwt-public.pem");
        }

        StubServer.Run second = cli("keys", "--dir", keys.toString());
        assertThat(second.exitCode()).isEqualTo(0);
        assertThat(second.out()).startsWith("the token-signing key pair exists:");
        assertThat(Files.readString(keys.resolve("jwt-private.pem"))).isEqualTo(priv);
        assertThat(Files.readString(keys.resolve("jwt-public.pem"))).isEqualTo(pub);

        Files.delete(keys.resolve("jwt-public.pem"));
        assertThat(cli("keys", "--dir", keys.toString()).out()).startsWith("wrote the public key");
        assertThat(Files.readString(keys.resolve("jwt-public.pem"))).isEqualTo(pub);
        assertThat(Files.readString(keys.resolve("jwt-private.pem"))).isEqualTo(priv);
    }

    @Test
    void aPublicKeyWithoutItsPrivateKeyIsLeftAloneAndRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("jwt-public.pem"), "someone else's");
        StubServer.Run run = cli("keys", "--dir", dir.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: ").contains("jwt-private.pem does not");
        assertThat(Files.readString(dir.resolve("jwt-public.pem"))).isEqualTo("someone else's");
    }

    @Test
    void theTokenVerifiesWithThePublicKeyAndCarriesTheClaimsAsked(@TempDir Path dir) throws Exception {
        cli("keys", "--dir", dir.toString());
        long before = Instant.now().getEpochSecond();
        StubServer.Run run = cli("token", "--key", dir.resolve("jwt-private.pem").toString(), "--role", "deployer",
                "--role", "operator", "--service", "checkout", "--service", "cart", "--subject", "alice",
                "--ttl", "15m", "--issuer", "rollwatch-local", "--audience", "rollwatch");
        long after = Instant.now().getEpochSecond();

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(run.err()).isEmpty();
        String token = run.out().strip();
        assertThat(run.out()).isEqualTo(token + "\n");
        JsonNode claims = verify(token, KeyFiles.readPublicKey(dir.resolve("jwt-public.pem")));
        assertThat(claims.path("iss").asText()).isEqualTo("rollwatch-local");
        assertThat(claims.path("sub").asText()).isEqualTo("alice");
        assertThat(claims.path("aud").asText()).isEqualTo("rollwatch");
        assertThat(texts(claims.path("groups"))).containsExactly("deployer", "operator");
        assertThat(texts(claims.path("services"))).containsExactly("checkout", "cart");
        assertThat(claims.path("jti").asText()).hasSize(36);
        long iat = claims.path("iat").asLong();
        assertThat(iat).isBetween(before, after);
        assertThat(claims.path("exp").asLong() - iat).isEqualTo(15 * 60);
        assertThat(header(token)).isEqualTo(ApiClient.JSON.readTree("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"));

        String other = cli("token", "--key", dir.resolve("jwt-private.pem").toString(), "--role", "auditor",
                "--subject", "alice").out().strip();
        assertThat(verify(other, KeyFiles.readPublicKey(dir.resolve("jwt-public.pem"))).path("jti").asText())
                .as("every token has its own id").isNotEqualTo(claims.path("jti").asText());
    }

    @Test
    void defaultsAnHourNoServicesClaimCommaListsAndAWarningUnlessAdminIsTheOnlyRole(@TempDir Path dir)
            throws Exception {
        cli("keys", "--dir", dir.toString());
        StubServer.Run run = cli("token", "--key", dir.resolve("jwt-private.pem").toString(), "--role",
                "deployer,auditor");
        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.err()).as("without --service this token acts on no service: warned")
                .contains("warning: without --service this token may act on no service");
        JsonNode claims = verify(run.out().strip(), KeyFiles.readPublicKey(dir.resolve("jwt-public.pem")));
        assertThat(claims.has("services")).isFalse();
        assertThat(texts(claims.path("groups"))).containsExactly("deployer", "auditor");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(3600);
        assertThat(claims.path("iss").asText()).isEqualTo(System.getenv().getOrDefault("ROLLWATCH_JWT_ISSUER",
                "rollwatch-local"));
        String user = System.getenv("USER");
        assertThat(claims.path("sub").asText()).isEqualTo(user == null || user.isBlank() ? "local" : user);

        StubServer.Run alone = cli("token", "--key", dir.resolve("jwt-private.pem").toString(), "--role", "deployer");
        assertThat(alone.err()).contains("warning: without --service this token may act on no service");
        StubServer.Run admin = cli("token", "--key", dir.resolve("jwt-private.pem").toString(), "--role", "admin");
        assertThat(admin.err()).as("an admin-only token reaches every service: no warning").isEmpty();
    }

    @Test
    void aShortTtlExpiresAtOnceAndAnotherKeyOrAnAlteredClaimDoesNotVerify(@TempDir Path dir) throws Exception {
        cli("keys", "--dir", dir.resolve("a").toString());
        cli("keys", "--dir", dir.resolve("b").toString());
        String token = cli("token", "--key", dir.resolve("a/jwt-private.pem").toString(), "--role", "auditor",
                "--ttl", "1s").out().strip();
        JsonNode claims = verify(token, KeyFiles.readPublicKey(dir.resolve("a/jwt-public.pem")));
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(1);
        assertThat(claims.path("exp").asLong()).isLessThanOrEqualTo(Instant.now().getEpochSecond() + 1);

        assertThat(signatureValid(token, KeyFiles.readPublicKey(dir.resolve("b/jwt-public.pem")))).isFalse();
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("\"auditor\"", "\"admin\"").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(signatureValid(forged, KeyFiles.readPublicKey(dir.resolve("a/jwt-public.pem")))).isFalse();
    }

    @Test
    void aMissingKeyIsRefusedWithWhatToDo(@TempDir Path dir) {
        Path missing = dir.resolve("var/keys/jwt-private.pem");
        StubServer.Run run = cli("token", "--key", missing.toString(), "--role", "deployer");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("error: no private key at " + missing).contains("./rollwatch keys");
    }

    @Test
    void unknownRolesZeroTtlAndPkcs1KeysAreRefused(@TempDir Path dir) throws Exception {
        cli("keys", "--dir", dir.toString());
        String key = dir.resolve("jwt-private.pem").toString();
        StubServer.Run role = cli("token", "--key", key, "--role", "deployr");
        assertThat(role.exitCode()).isEqualTo(1);
        assertThat(role.err()).contains("unknown role 'deployr'").contains("deployer, operator, auditor, admin, agent");

        StubServer.Run ttl = cli("token", "--key", key, "--role", "admin", "--ttl", "0s");
        assertThat(ttl.exitCode()).isEqualTo(1);
        assertThat(ttl.err()).contains("lifetime must be positive");

        assertThat(cli("token", "--key", key).exitCode()).as("--role is required").isEqualTo(1);

        Path pkcs1 = dir.resolve("rsa.pem");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        StubServer.Run old = cli("token", "--key", pkcs1.toString(), "--role", "admin");
        assertThat(old.exitCode()).isEqualTo(1);
        assertThat(old.err()).contains("PKCS#1").contains("openssl pkcs8 -topk8");
    }

    /** Runs the CLI in this JVM. */
    static StubServer.Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = Rollwatch.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new StubServer.Run(code, out.toString(), err.toString());
    }

    /** Checks the RS256 signature with the JDK alone and returns the claims. */
    static JsonNode verify(String token, PublicKey key) throws Exception {
        assertThat(signatureValid(token, key)).as("signature of " + token).isTrue();
        return ApiClient.JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    static JsonNode header(String token) throws Exception {
        return ApiClient.JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
    }

    static boolean signatureValid(String token, PublicKey key) throws Exception {
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initVerify(key);
        s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        return s.verify(Base64.getUrlDecoder().decode(parts[2]));
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
