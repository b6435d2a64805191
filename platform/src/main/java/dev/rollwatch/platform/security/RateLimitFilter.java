package dev.rollwatch.platform.security;

import dev.rollwatch.platform.rest.Problem;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

import java.util.Set;

/**
 * Per-identity rate limit on mutating requests (POST, PUT, PATCH, DELETE): 429 problem+json with
 * {@code Retry-After} (seconds) when an identity's bucket is empty. Reads are not limited. Runs after
 * authentication and the role checks, so the identity is the token subject.
 */
@Provider
@Priority(Priorities.USER - 100)
public class RateLimitFilter implements ContainerRequestFilter {

    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

    /** Off only for benchmarks. */
    @ConfigProperty(name = "rollwatch.security.rate-limit.enabled", defaultValue = "true")
    boolean enabled;

    /** Mutating requests one identity may make at once before it is limited. */
    @ConfigProperty(name = "rollwatch.security.rate-limit.burst", defaultValue = "60")
    int burst;

    /** Sustained mutating requests per second per identity. */
    @ConfigProperty(name = "rollwatch.security.rate-limit.per-second", defaultValue = "10")
    double perSecond;

    private RateLimiter limiter;

    @PostConstruct
    void createLimiter() {
        limiter = new RateLimiter(burst, perSecond);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!enabled || !MUTATING.contains(request.getMethod())) {
            return;
        }
        String identity = Caller.subjectOf(request.getSecurityContext().getUserPrincipal());
        long waitNanos = limiter.acquire(identity, System.nanoTime());
        if (waitNanos > 0) {
            long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            request.abortWith(jakarta.ws.rs.core.Response.fromResponse(
                    Problem.of(429, "rate-limited", "Too many requests",
                            "too many changes from this identity; retry after " + seconds + " s").toResponse())
                    .header("Retry-After", Long.toString(seconds)).build());
        }
    }
}
