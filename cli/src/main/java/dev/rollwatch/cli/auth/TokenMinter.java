package dev.rollwatch.cli.auth;

import dev.rollwatch.events.Jwts;

import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Mints the RS256 JWTs the services accept (docs/security.md, "Tokens"): claims {@code iss}, {@code sub},
 * {@code aud}, {@code groups} (the roles), {@code services} (only when given), {@code iat}, {@code exp},
 * {@code jti}, signed by {@link Jwts} (events; the tests' tokens are minted the same way).
 */
public final class TokenMinter {

    /** The roles the services know (dev.rollwatch.platform.security.Roles). */
    public static final List<String> ROLES = dev.rollwatch.events.Roles.ALL;
    public static final String DEFAULT_ISSUER = "rollwatch-local";
    public static final String DEFAULT_AUDIENCE = "rollwatch";

    /** What a token says. {@code services} null or empty: no {@code services} claim. */
    public record Claims(String issuer, String subject, String audience, List<String> roles, List<String> services,
            Instant issuedAt, Duration ttl) {
        public Claims {
            if (subject == null || subject.isBlank()) {
                throw new IllegalArgumentException("the subject must not be blank");
            }
            if (roles == null || roles.isEmpty()) {
                throw new IllegalArgumentException("at least one role (" + String.join(", ", ROLES) + ")");
            }
            if (ttl == null || ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("the lifetime must be positive");
            }
            roles = List.copyOf(roles);
            services = services == null ? List.of() : List.copyOf(services);
        }

        public Instant expiresAt() {
            return issuedAt.plus(ttl);
        }
    }

    private TokenMinter() {
    }

    /** The issuer the local services expect: ROLLWATCH_JWT_ISSUER, as theirs, else {@value #DEFAULT_ISSUER}. */
    public static String issuerFromEnvironment() {
        return envOr("ROLLWATCH_JWT_ISSUER", DEFAULT_ISSUER);
    }

    /** ROLLWATCH_JWT_AUDIENCE, else {@value #DEFAULT_AUDIENCE}. */
    public static String audienceFromEnvironment() {
        return envOr("ROLLWATCH_JWT_AUDIENCE", DEFAULT_AUDIENCE);
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** The signed compact JWT. */
    public static String mint(PrivateKey key, Claims c) {
        var claims = Jwts.claims(c.issuer(), c.subject(), c.audience(), c.roles(),
                c.services().isEmpty() ? null : c.services(), c.issuedAt(), c.expiresAt());
        try {
            return Jwts.signRs256(key, claims);
        } catch (IllegalArgumentException e) {
            throw new KeyFiles.KeyException(e.getMessage());
        }
    }
}
