package dev.rollwatch.testsupport;

import dev.rollwatch.events.Jwts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * RS256 bearer tokens for tests, signed by a key pair made once per test JVM; the services under test trust its
 * public key through {@link #serviceConfig()} ({@link RollwatchInfraResource} and {@link ServiceProcess} pass it on).
 * {@link #otherKey()} signs with a key nobody trusts. The claims and the signature are {@link Jwts}' (events), as
 * the CLI's {@code rollwatch token}.
 */
public final class TestTokens {

    public static final String ISSUER = "rollwatch-test";
    public static final String AUDIENCE = "rollwatch";
    /** The subject of {@link #all()}, the token every test request carries unless it chooses another. */
    public static final String TEST_SUBJECT = "rollwatch-test";
    public static final List<String> ALL_ROLES = dev.rollwatch.events.Roles.ALL;

    private static final KeyPair TRUSTED = generate();
    private static final KeyPair OTHER = generate();
    private static volatile Path publicKeyFile;

    private TestTokens() {
    }

    /** The configuration a service needs to trust tokens minted here. */
    public static Map<String, String> serviceConfig() {
        return Map.of("mp.jwt.verify.publickey.location", publicKeyFile().toString(),
                "mp.jwt.verify.issuer", ISSUER,
                "mp.jwt.verify.audiences", AUDIENCE);
    }

    /** {@link #serviceConfig()} as {@code -D} options for a service process. */
    public static List<String> jvmOptions() {
        List<String> out = new ArrayList<>();
        serviceConfig().forEach((k, v) -> out.add("-D" + k + "=" + v));
        return out;
    }

    /** A token with every role and every service, subject {@link #TEST_SUBJECT}. */
    public static String all() {
        return builder().subject(TEST_SUBJECT).roles(ALL_ROLES).services("*").mint();
    }

    /** {@code "Bearer " + all()}. */
    public static String authorization() {
        return "Bearer " + all();
    }

    public static Builder builder() {
        return new Builder(TRUSTED);
    }

    /** A builder whose tokens are signed by a key no service trusts. */
    public static Builder otherKey() {
        return new Builder(OTHER);
    }

    public static synchronized Path publicKeyFile() {
        if (publicKeyFile == null) {
            try {
                Path file = Files.createTempFile("rollwatch-test-jwt", ".pem");
                file.toFile().deleteOnExit();
                Files.writeString(file, pem("PUBLIC KEY", TRUSTED.getPublic().getEncoded()));
                publicKeyFile = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return publicKeyFile;
    }

    public static final class Builder {
        private final KeyPair keys;
        private String subject = TEST_SUBJECT;
        private List<String> roles = List.of();
        private Object services;
        private String issuer = ISSUER;
        private String audience = AUDIENCE;
        private Instant issuedAt = Instant.now();
        private Duration ttl = Duration.ofMinutes(15);

        private Builder(KeyPair keys) {
            this.keys = keys;
        }

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder roles(String... roles) {
            return roles(List.of(roles));
        }

        public Builder roles(List<String> roles) {
            this.roles = List.copyOf(roles);
            return this;
        }

        /** The {@code services} claim as a JSON array; none given means no claim. */
        public Builder services(String... services) {
            this.services = List.of(services);
            return this;
        }

        /** The {@code services} claim as one string, e.g. {@code "checkout,cart"}. */
        public Builder servicesAsString(String services) {
            this.services = services;
            return this;
        }

        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        /** A token that expired {@code ago} ago (issued an hour before that). */
        public Builder expired(Duration ago) {
            this.issuedAt = Instant.now().minus(ago).minus(Duration.ofHours(1));
            this.ttl = Duration.ofHours(1);
            return this;
        }

        public String mint() {
            return sign(keys.getPrivate(),
                    Jwts.claims(issuer, subject, audience, roles, services, issuedAt, issuedAt.plus(ttl)));
        }

        public String bearer() {
            return "Bearer " + mint();
        }
    }

    static String sign(PrivateKey key, Map<String, Object> claims) {
        return Jwts.signRs256(key, claims);
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
