package dev.rollwatch.notifier.service;

import dev.rollwatch.notifier.config.NotifierConfig;
import dev.rollwatch.platform.security.RateLimiter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One token bucket per channel, in this instance's memory (each notifier instance limits its own sends): platform's
 * {@link RateLimiter} keyed by channel name. A send beyond the rate waits for its token; it is never dropped.
 */
@ApplicationScoped
public class ChannelRateLimiter {

    /** Null when the rate is 0 or less: no limit. */
    private final RateLimiter limiter;
    private final LongSupplier nanoTime;

    @Inject
    public ChannelRateLimiter(NotifierConfig config) {
        this(config.flood().burst(), config.flood().ratePerSecond(), System::nanoTime);
    }

    ChannelRateLimiter(int burst, double ratePerSecond, LongSupplier nanoTime) {
        this.limiter = ratePerSecond > 0 ? new RateLimiter(Math.max(burst, 1), ratePerSecond) : null;
        this.nanoTime = nanoTime;
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
        return limiter == null ? Duration.ZERO : Duration.ofNanos(limiter.acquire(channel, nanoTime.getAsLong()));
    }
}
