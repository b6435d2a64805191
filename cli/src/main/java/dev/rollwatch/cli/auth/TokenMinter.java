package dev.rollwatch.cli.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Mints the RS256 JWTs the services accept (docs/security.md, "Tokens"): claims {@code iss}, {@code sub},
 * {@code aud}, {@code groups} (the roles), {@code services} (only when given), {@code iat}, {@code exp},
 * {@code jti}. JDK {@link Signature} (SHA256withRSA) and Jackson; no JWT library.
 */
public final class TokenMinter {

    /** The roles the services know (dev.rollwatch.platform.security.Roles). */
    public static final List<String> ROLES = dev.rollwatch.events.Roles.ALL;
    public static final String DEFAULT_ISSUER = "rollwatch-local";
    public static final String DEFAULT_AUDIENCE = "rollwatch";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = B64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"
            .getBytes(StandardCharsets.UTF_8));

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
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", c.issuer());
        claims.put("sub", c.subject());
        claims.put("aud", c.audience());
        claims.put("groups", c.roles());
        if (!c.services().isEmpty()) {
            claims.put("services", c.services());
        }
        claims.put("iat", c.issuedAt().getEpochSecond());
        claims.put("exp", c.expiresAt().getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        try {
            String signingInput = HEADER + "." + B64.encodeToString(JSON.writeValueAsBytes(claims));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(signature.sign());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (java.security.InvalidKeyException e) {
            throw new KeyFiles.KeyException("cannot sign with this key: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA256withRSA is not available in this JDK", e);
        }
    }
}
