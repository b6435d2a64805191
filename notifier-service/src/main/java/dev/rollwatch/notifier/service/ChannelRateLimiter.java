package dev.rollwatch.notifier.service;

import dev.rollwatch.notifier.config.NotifierConfig;
import dev.rollwatch.notifier.domain.TokenBucket;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per channel, in this instance's memory (each notifier instance limits its own sends). A send
 * beyond the rate waits for its token; it is never dropped.
 */
@ApplicationScoped
public class ChannelRateLimiter {

    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final int burst;
    private final double ratePerSecond;

    public ChannelRateLimiter(NotifierConfig config) {
        this.burst = config.flood().burst();
        this.ratePerSecond = config.flood().ratePerSecond();
    }

    /**
     * Whether a delivery of this severity is sent without waiting for a token: a P0 (the target is down, the
     * restored version is unhealthy) is the page the runbooks want within 5 minutes, and must not queue behind the
     * informational messages of other deployments. It does not take a token either.
     */
    public static boolean exempt(String severity) {
        return "P0".equals(severity);
    }

    /** {@link Duration#ZERO} when {@code channel} may send now, else how long to wait before asking again. */
    public Duration tryAcquire(String channel) {
        if (ratePerSecond <= 0) {
            return Duration.ZERO;
        }
        Instant now = Instant.now();
        return buckets.computeIfAbsent(channel, c -> new TokenBucket(Math.max(burst, 1), ratePerSecond, now))
                .tryTake(now);
    }
}
