package dev.rollwatch.notifier.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket: up to {@code capacity} sends at once, refilled at {@code ratePerSecond}. {@link #tryTake}
 * either takes a token or says how long until one is there; the caller waits that long and asks again, so
 * nothing is ever dropped. Time comes in, so it is pure and testable; thread-safe.
 */
public final class TokenBucket {

    private final double capacity;
    private final double ratePerSecond;
    private double tokens;
    private Instant last;

    public TokenBucket(int capacity, double ratePerSecond, Instant now) {
        if (capacity < 1 || ratePerSecond <= 0) {
            throw new IllegalArgumentException("a token bucket needs capacity >= 1 and a positive rate");
        }
        this.capacity = capacity;
        this.ratePerSecond = ratePerSecond;
        this.tokens = capacity;
        this.last = now;
    }

    /** {@link Duration#ZERO} when a token was taken, else the wait until the next token. */
    public synchronized Duration tryTake(Instant now) {
        if (now.isAfter(last)) {
            double elapsedSeconds = Duration.between(last, now).toNanos() / 1e9;
            tokens = Math.min(capacity, tokens + elapsedSeconds * ratePerSecond);
            last = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return Duration.ZERO;
        }
        long nanos = (long) Math.ceil((1 - tokens) / ratePerSecond * 1e9);
        return Duration.ofNanos(Math.max(nanos, 1_000_000));
    }
}
