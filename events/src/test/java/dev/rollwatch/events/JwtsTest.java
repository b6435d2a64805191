package dev.rollwatch.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwtsTest {

    static final KeyPair KEYS = rsa();
    static final Instant T0 = Instant.parse("2026-03-02T14:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTokenIsItsClaimsSignedRs256_verifiableWithThePublicKey() throws Exception {
        String token = Jwts.signRs256(KEYS.getPrivate(), Jwts.claims("rollwatch-local", "alice", "rollwatch",
                List.of(Roles.DEPLOYER), List.of("checkout"), T0, T0.plusSeconds(900)));

        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(decode(parts[0])).isEqualTo("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        JsonNode claims = JSON.readTree(decode(parts[1]));
        List<String> names = new ArrayList<>();
        claims.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("iss", "sub", "aud", "groups", "services", "iat", "exp", "jti");
        assertThat(claims.get("sub").asText()).isEqualTo("alice");
        assertThat(claims.get("groups").get(0).asText()).isEqualTo("deployer");
        assertThat(claims.get("services").get(0).asText()).isEqualTo("checkout");
        assertThat(claims.get("iat").asLong()).isEqualTo(T0.getEpochSecond());
        assertThat(claims.get("exp").asLong()).isEqualTo(T0.getEpochSecond() + 900);

        Signature verify = Signature.getInstance("SHA256withRSA");
        verify.initVerify(KEYS.getPublic());
        verify.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verify.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
        assertThat(token).doesNotContain("=");
    }

    @Test
    void noServicesMeansNoClaim_oneStringIsWrittenAsAString_andEveryTokenHasItsOwnId() {
        Map<String, Object> none = Jwts.claims("i", "s", "a", List.of(Roles.ADMIN), null, T0, T0.plusSeconds(1));
        assertThat(none).doesNotContainKey("services");
        Map<String, Object> asString = Jwts.claims("i", "s", "a", List.of(Roles.ADMIN), "checkout,cart", T0,
                T0.plusSeconds(1));
        assertThat(asString.get("services")).isEqualTo("checkout,cart");
        assertThat(asString.get("jti")).isNotEqualTo(none.get("jti"));
    }

    @Test
    void aKeyThatCannotSignRs256IsRefusedSayingSo() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        Map<String, Object> claims = Jwts.claims("i", "s", "a", List.of(Roles.ADMIN), null, T0, T0.plusSeconds(1));
        assertThatThrownBy(() -> Jwts.signRs256(ec.generateKeyPair().getPrivate(), claims))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cannot sign with this key: ");
    }

    static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
