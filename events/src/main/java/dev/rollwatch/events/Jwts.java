package dev.rollwatch.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A Rollwatch bearer token, written once (docs/security.md, "Tokens"): the claims the services read and an RS256
 * signature, compact serialization. The CLI's {@code rollwatch token} and the tests' {@code TestTokens} mint with
 * it; the services only verify (smallrye-jwt). Here because the CLI, which cannot use platform, depends on this
 * module; not part of the event contract.
 *
 * <p>JDK {@link Signature} (SHA256withRSA) and Jackson, no JWT library: smallrye-jwt-build (the Quarkus BOM's
 * builder) would bring jose4j, a MicroProfile Config implementation and JSON-P into the CLI's one jar for what is
 * thirty lines here.
 */
public final class Jwts {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = B64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"
            .getBytes(StandardCharsets.UTF_8));

    private Jwts() {
    }

    /**
     * The claims of a Rollwatch token, in this order: {@code iss}, {@code sub}, {@code aud}, {@code groups} (the
     * roles, {@link Roles}), {@code services} (a list of service names or one string such as
     * {@code "checkout,cart"}, as the services read both; null writes no claim), {@code iat}, {@code exp} (epoch
     * seconds) and a random {@code jti}.
     */
    public static Map<String, Object> claims(String issuer, String subject, String audience, List<String> roles,
            Object services, Instant issuedAt, Instant expiresAt) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("aud", audience);
        claims.put("groups", roles);
        if (services != null) {
            claims.put("services", services);
        }
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("exp", expiresAt.getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        return claims;
    }

    /**
     * The signed compact JWT ({@code header.payload.signature}, base64url without padding) of these claims, header
     * {@code {"alg":"RS256","typ":"JWT"}}.
     *
     * @throws IllegalArgumentException "cannot sign with this key: …" when the key is not an RSA private key
     */
    public static String signRs256(PrivateKey key, Map<String, ?> claims) {
        try {
            String signingInput = HEADER + "." + B64.encodeToString(JSON.writeValueAsBytes(claims));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(signature.sign());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the claims are not JSON: " + e.getOriginalMessage(), e);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA256withRSA is not available in this JDK", e);
        }
    }
}
