package dev.rollwatch.platform.warmup;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.util.Optional;

/**
 * Not ready while the start-up {@link Warmup} runs, so that whatever routes by readiness (a load balancer, an
 * orchestrator, {@code ./rollwatch up}, the system tests) sends the first request to a warm service: before issue 16's
 * change the first breaches after a start were measured while four services' warm-ups shared two cores with them.
 *
 * <p>Bounded: after {@code rollwatch.warmup.readiness-timeout} (60 s) the service is ready whatever the warm-up is
 * doing — a slow warm-up (a broker that answers metadata slowly) costs speed, never availability; the check then says
 * so in its data. {@code 0s} turns the wait off. A disabled warm-up is ready at once.
 */
@Readiness
public class WarmupReadiness implements HealthCheck {

    static final String NAME = "warm-up";

    private final Warmup warmup;
    private final Duration timeout;

    public WarmupReadiness(Warmup warmup,
            @ConfigProperty(name = "rollwatch.warmup.readiness-timeout", defaultValue = "60s") Duration timeout) {
        this.warmup = warmup;
        this.timeout = timeout;
    }

    @Override
    public HealthCheckResponse call() {
        return status(warmup.enabled(), warmup.running(), warmup.took().values().stream()
                .mapToLong(Long::longValue).sum(), timeout);
    }

    /** The answer for a warm-up that is (or is not) running for so long; pure, for the unit test. */
    static HealthCheckResponse status(boolean enabled, Optional<Duration> running, long tookMs, Duration timeout) {
        var answer = HealthCheckResponse.named(NAME);
        if (!enabled) {
            return answer.up().withData("warm-up", "disabled").build();
        }
        if (running.isEmpty()) {
            return answer.up().withData("warm-up", "done").withData("tookMs", tookMs).build();
        }
        long ms = running.get().toMillis();
        if (running.get().compareTo(timeout) >= 0) {
            return answer.up().withData("warm-up", "still running; readiness stopped waiting after "
                    + timeout.toMillis() + " ms").withData("runningMs", ms).build();
        }
        return answer.down().withData("warm-up", "running").withData("runningMs", ms).build();
    }
}
