package dev.rollwatch.platform.security;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per identity: {@code burst} requests at once, refilled at {@code perSecond}. Thread-safe; idle
 * full buckets are dropped when the map grows, so a flood of identities cannot exhaust memory.
 */
public final class RateLimiter {

    static final int MAX_IDENTITIES = 10_000;

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

    /** 0 when the request may go ahead (and is counted), else the nanoseconds until the next one may. */
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
            return (long) Math.ceil((1 - bucket.tokens) / perSecond * 1e9);
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
