package dev.rollwatch.platform.security;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per key: {@code burst} at once, refilled continuously at {@code perSecond}, never beyond
 * {@code burst}; a key's bucket starts full. {@link #acquire} either takes a token or says how long until one is
 * there (at least 1 ms), and asking again after that wait always gets it, so a caller that waits drops nothing.
 * Time comes in (monotonic nanoseconds, {@link System#nanoTime()}), so it is testable. Thread-safe; idle full
 * buckets are dropped when the map grows, so a flood of keys cannot exhaust memory.
 *
 * <p>The one token bucket of Rollwatch: the services' per-identity limit on changes ({@link RateLimitFilter}, 429)
 * and notifier-service's per-channel send rate ({@code ChannelRateLimiter}).
 */
public final class RateLimiter {

    static final int MAX_IDENTITIES = 10_000;
    /** The shortest wait told: a caller that schedules in milliseconds does not ask again at once. */
    static final long MIN_WAIT_NANOS = 1_000_000L;

    private final int burst;
    private final double perSecond;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int burst, double perSecond) {
        if (burst < 1 || !(perSecond > 0)) {
            throw new IllegalArgumentException("burst must be >= 1 and perSecond > 0");
        }
        this.burst = burst;
        this.perSecond = perSecond;
    }

    /**
     * 0 when the request may go ahead (and is counted), else the nanoseconds until the next one may (at least
     * {@link #MIN_WAIT_NANOS}).
     */
    public long acquire(String identity, long nowNanos) {
        if (buckets.size() > MAX_IDENTITIES) {
            evictFull(nowNanos);
        }
        Bucket bucket = buckets.computeIfAbsent(identity, k -> new Bucket(burst, nowNanos));
        synchronized (bucket) {
            bucket.refill(nowNanos, burst, perSecond);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return Math.max(MIN_WAIT_NANOS, (long) Math.ceil((1 - bucket.tokens) / perSecond * 1e9));
        }
    }

    int identities() {
        return buckets.size();
    }

    private void evictFull(long nowNanos) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext();) {
            Bucket b = it.next();
            synchronized (b) {
                b.refill(nowNanos, burst, perSecond);
                if (b.tokens >= burst) {
                    it.remove();
                }
            }
        }
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(int burst, long now) {
            this.tokens = burst;
            this.at = now;
        }

        void refill(long now, int burst, double perSecond) {
            if (now > at) {
                tokens = Math.min(burst, tokens + (now - at) / 1e9 * perSecond);
                at = now;
            }
        }
    }
}
