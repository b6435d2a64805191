package dev.rollwatch.platform.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.security.Key;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Verifies a bearer token once and reuses the result for the same token (issue 16: verifying the RS256 signature was
 * about a quarter of the monitor's CPU per pushed sample, and a client sends the same token with every request).
 * It replaces smallrye-jwt's {@link JWTCallerPrincipalFactory} (an {@code @Alternative}); the verification itself is
 * smallrye-jwt's, unchanged.
 * <p>
 * What makes a reuse safe:
 * <ul>
 *   <li>only a token that <em>passed</em> verification is kept; a refused one is verified (and refused) every time;</li>
 *   <li>the key is the whole token (header, claims, signature): another token, even one differing in a single
 *       character, is verified;</li>
 *   <li>the verification settings are part of the entry: a token verified with the configured key, issuer and
 *       audience is not reused for a call with other settings (another key, another issuer…);</li>
 *   <li>an entry is reused only before the earliest of: the token's {@code exp}, its {@code iat} plus the configured
 *       maximum age or time to live, and {@code rollwatch.security.token-cache.ttl} after it was verified (60 s:
 *       the longest a token still passes after its signing key was replaced at the configured location);</li>
 *   <li>at most {@code rollwatch.security.token-cache.max-entries} tokens are kept (1,000); once full with live
 *       entries a new token is verified and not kept. {@code max-entries=0} verifies every request.</li>
 * </ul>
 * Hits and misses are counted ({@code rollwatch_token_cache_total{result="hit|miss"}}).
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokenCache extends JWTCallerPrincipalFactory {

    /** The settings a verification depended on: a cached result is reused only under the same ones. */
    record Settings(String keyLocation, String keyContent, Key publicKey, Key secretKey, String keyId,
            String issuer, Set<String> audience, Set<?> algorithms, Long maxTimeToLive, Long tokenAge,
            Set<String> requiredClaims, String subjectClaim, String subjectPath, String groupsClaim,
            String groupsPath, String groupsSeparator, boolean namedPrincipal) {

        static Settings of(JWTAuthContextInfo info) {
            return new Settings(info.getPublicKeyLocation(), info.getPublicKeyContent(),
                    info.getPublicVerificationKey(), info.getSecretVerificationKey(), info.getTokenKeyId(),
                    info.getIssuedBy(), info.getExpectedAudience(), info.getSignatureAlgorithm(),
                    info.getMaxTimeToLiveSecs(), info.getTokenAge(), info.getRequiredClaims(),
                    info.getDefaultSubjectClaim(), info.getSubjectPath(), info.getDefaultGroupsClaim(),
                    info.getGroupsPath(), info.getGroupsSeparator(), info.isRequireNamedPrincipal());
        }
    }

    private record Entry(JWTCallerPrincipal principal, Settings settings, long validUntilMillis) {
    }

    private final JWTCallerPrincipalFactory verifier;
    private final int maxEntries;
    private final long ttlMillis;
    private final LongSupplier nowMillis;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Counter hits;
    private final Counter misses;

    @Inject
    public VerifiedTokenCache(
            @ConfigProperty(name = "rollwatch.security.token-cache.max-entries", defaultValue = "1000") int maxEntries,
            @ConfigProperty(name = "rollwatch.security.token-cache.ttl", defaultValue = "60s") Duration ttl,
            MeterRegistry registry) {
        this(new DefaultJWTCallerPrincipalFactory(), maxEntries, ttl, System::currentTimeMillis, registry);
    }

    VerifiedTokenCache(JWTCallerPrincipalFactory verifier, int maxEntries, Duration ttl, LongSupplier nowMillis,
            MeterRegistry registry) {
        this.verifier = verifier;
        this.maxEntries = Math.max(0, maxEntries);
        this.ttlMillis = Math.max(0, ttl.toMillis());
        this.nowMillis = nowMillis;
        MeterRegistry meters = registry != null ? registry : Metrics.globalRegistry;
        this.hits = Counter.builder("rollwatch.token.cache").tag("result", "hit")
                .description("Bearer tokens served from the verified-token cache (verified before, not expired)")
                .register(meters);
        this.misses = Counter.builder("rollwatch.token.cache").tag("result", "miss")
                .description("Bearer tokens verified (not in the verified-token cache, or past their reuse)")
                .register(meters);
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo authContextInfo) throws ParseException {
        if (maxEntries == 0 || ttlMillis == 0 || token == null) {
            return verifier.parse(token, authContextInfo);
        }
        Settings settings = Settings.of(authContextInfo);
        long now = nowMillis.getAsLong();
        Entry cached = entries.get(token);
        if (cached != null) {
            if (now < cached.validUntilMillis() && cached.settings().equals(settings)) {
                hits.increment();
                return cached.principal();
            }
            entries.remove(token, cached);
        }
        misses.increment();
        JWTCallerPrincipal principal = verifier.parse(token, authContextInfo); // throws when refused: nothing kept
        long until = validUntil(principal, authContextInfo, now);
        if (until > now && (entries.size() < maxEntries || evictExpired(now))) {
            entries.put(token, new Entry(principal, settings, until));
        }
        return principal;
    }

    /** The earliest instant at which reusing the verification could differ from verifying again. */
    private long validUntil(JWTCallerPrincipal principal, JWTAuthContextInfo info, long now) {
        long until = now + ttlMillis;
        long exp = principal.getExpirationTime();
        if (exp <= 0) {
            return now; // no expiry claim: verified every time (smallrye-jwt refuses such tokens anyway)
        }
        until = Math.min(until, exp * 1000);
        long iat = principal.getIssuedAtTime();
        for (Long age : List.of(Objects.requireNonNullElse(info.getMaxTimeToLiveSecs(), 0L),
                Objects.requireNonNullElse(info.getTokenAge(), 0L))) {
            if (age > 0) {
                until = iat > 0 ? Math.min(until, (iat + age) * 1000) : now;
            }
        }
        return until;
    }

    /** Drops entries past their reuse; true when there is room afterwards. */
    private boolean evictExpired(long now) {
        entries.values().removeIf(e -> e.validUntilMillis() <= now);
        return entries.size() < maxEntries;
    }

    /** How many tokens are kept now (for tests). */
    int size() {
        return entries.size();
    }
}
