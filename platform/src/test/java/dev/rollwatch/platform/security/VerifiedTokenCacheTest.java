package dev.rollwatch.platform.security;

import dev.rollwatch.testsupport.TestTokens;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The verified-token cache: a token that passed is reused only while verifying it again could not give another
 * answer; a refused token, another token, other settings, a token past its expiry or past the reuse limit are
 * verified (by smallrye-jwt's own verifier, counted here).
 */
class VerifiedTokenCacheTest {

    /** smallrye-jwt's verifier, counting how often it really verifies. */
    static final class Counting extends JWTCallerPrincipalFactory {
        final DefaultJWTCallerPrincipalFactory real = new DefaultJWTCallerPrincipalFactory();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public JWTCallerPrincipal parse(String token, JWTAuthContextInfo info) throws ParseException {
            calls.incrementAndGet();
            return real.parse(token, info);
        }
    }

    final Counting verifier = new Counting();
    final AtomicLong now = new AtomicLong(System.currentTimeMillis());
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    VerifiedTokenCache cache(int maxEntries) {
        return new VerifiedTokenCache(verifier, maxEntries, Duration.ofSeconds(60), now::get, meters);
    }

    static JWTAuthContextInfo trusted() {
        JWTAuthContextInfo info = new JWTAuthContextInfo("file:" + TestTokens.publicKeyFile(), TestTokens.ISSUER);
        info.setExpectedAudience(Set.of(TestTokens.AUDIENCE));
        return info;
    }

    double counted(String result) {
        return meters.counter("rollwatch.token.cache", "result", result).count();
    }

    @Test
    void aTokenThatPassedIsVerifiedOnceAndThenReused() throws Exception {
        VerifiedTokenCache cache = cache(1000);
        String token = TestTokens.builder().subject("alice").roles("deployer").services("checkout").mint();

        JWTCallerPrincipal first = cache.parse(token, trusted());
        JWTCallerPrincipal second = cache.parse(token, trusted());

        assertThat(second.getSubject()).isEqualTo("alice");
        assertThat(second.getGroups()).containsExactly("deployer");
        assertThat(second).isSameAs(first);
        assertThat(verifier.calls).hasValue(1);
        assertThat(counted("hit")).isEqualTo(1);
        assertThat(counted("miss")).isEqualTo(1);
    }

    @Test
    void aRefusedTokenIsNeverKept() {
        VerifiedTokenCache cache = cache(1000);
        String forged = TestTokens.otherKey().subject("mallory").roles("admin").mint();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> cache.parse(forged, trusted())).isInstanceOf(ParseException.class);
        }
        assertThat(verifier.calls).hasValue(3);
        assertThat(cache.size()).isZero();
    }

    @Test
    void anotherTokenOfTheSameCallerIsVerified() throws Exception {
        VerifiedTokenCache cache = cache(1000);
        String token = TestTokens.builder().subject("alice").roles("deployer").mint();
        cache.parse(token, trusted());
        // One character inside the signature changed (not the last one, whose low bits are padding).
        int at = token.length() - 10;
        String tampered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
        assertThatThrownBy(() -> cache.parse(tampered, trusted())).isInstanceOf(ParseException.class);
        assertThat(verifier.calls).hasValue(2);
    }

    @Test
    void aTokenVerifiedUnderOneSettingIsNotReusedUnderAnother() throws Exception {
        VerifiedTokenCache cache = cache(1000);
        String token = TestTokens.builder().subject("alice").roles("deployer").mint();
        cache.parse(token, trusted());

        JWTAuthContextInfo otherIssuer = trusted();
        otherIssuer.setIssuedBy("someone-else");
        assertThatThrownBy(() -> cache.parse(token, otherIssuer)).isInstanceOf(ParseException.class);

        JWTAuthContextInfo otherAudience = trusted();
        otherAudience.setExpectedAudience(Set.of("another-product"));
        assertThatThrownBy(() -> cache.parse(token, otherAudience)).isInstanceOf(ParseException.class);
        assertThat(verifier.calls).hasValue(3);
    }

    @Test
    void nothingIsReusedPastTheTokensExpiryOrTheReuseLimit() throws Exception {
        VerifiedTokenCache cache = cache(1000);
        String token = TestTokens.builder().subject("alice").roles("deployer").mint();
        long exp = cache.parse(token, trusted()).getExpirationTime();

        now.addAndGet(59_000);
        cache.parse(token, trusted());
        assertThat(verifier.calls).as("reused within 60 s").hasValue(1);

        now.addAndGet(2_000);
        cache.parse(token, trusted());
        assertThat(verifier.calls).as("verified again after 60 s").hasValue(2);

        // The cache's clock past the token's exp: verified again (smallrye-jwt decides, on its own clock).
        now.set(exp * 1000);
        cache.parse(token, trusted());
        assertThat(verifier.calls).hasValue(3);
        now.set(exp * 1000 + 1);
        cache.parse(token, trusted());
        assertThat(verifier.calls).as("an entry kept at exp is never reused").hasValue(4);
    }

    @Test
    void aFullCacheStillVerifiesAndAnswersCorrectly() throws Exception {
        VerifiedTokenCache cache = cache(1);
        String alice = TestTokens.builder().subject("alice").roles("deployer").mint();
        String bob = TestTokens.builder().subject("bob").roles("auditor").mint();
        cache.parse(alice, trusted());
        assertThat(cache.parse(bob, trusted()).getSubject()).isEqualTo("bob");
        assertThat(cache.parse(bob, trusted()).getSubject()).isEqualTo("bob");
        assertThat(cache.parse(alice, trusted()).getSubject()).isEqualTo("alice");
        assertThat(cache.size()).isEqualTo(1);
        assertThat(verifier.calls).as("bob never kept: verified both times").hasValue(3);
    }

    @Test
    void zeroEntriesVerifiesEveryRequest() throws Exception {
        VerifiedTokenCache cache = cache(0);
        String token = TestTokens.builder().subject("alice").roles("deployer").mint();
        cache.parse(token, trusted());
        cache.parse(token, trusted());
        assertThat(verifier.calls).hasValue(2);
    }
}
