package dev.rollwatch.platform.retry;

import java.time.Duration;

/**
 * Exponential backoff, written once: retry {@code n} (1-based: the wait before the second attempt is retry 1) waits
 * {@code initial × 2^(n-1)}, never more than {@code max}; {@link #jittered} waits between half and all of that
 * ("equal jitter"). Millisecond resolution. Pure: the random number comes in.
 *
 * <p>The retry loops around it stay where they are, because what they retry, for how long and how they wait differ
 * on purpose: platform's {@code RetryTransientInterceptor} (100 ms to 5 s, no jitter, until the database is back),
 * deploy-service's {@code HttpTargetDriver} (its configured backoff and cap, no jitter, a bounded number of attempts
 * under one webhook id, the engine waiting) and notifier-service's {@code RetryPolicy} (equal jitter, the wait stored
 * on the delivery and honoured by a timer, a receiver's {@code Retry-After} taking precedence).
 */
public record Backoff(Duration initial, Duration max) {

    /** Past this many doublings the wait is {@code max} in any configuration (2^30 × 1 ms is 12 days). */
    private static final int MAX_SHIFT = 30;

    public Backoff {
        if (initial == null || max == null || initial.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException("a backoff needs an initial wait and a maximum, neither negative");
        }
    }

    /** The wait before retry {@code retry} (1-based; 0 or less is taken as 1). */
    public Duration delay(int retry) {
        long initialMs = initial.toMillis();
        long maxMs = max.toMillis();
        int shift = Math.min(Math.max(retry - 1, 0), MAX_SHIFT);
        long exponential = initialMs << shift;
        if (exponential >> shift != initialMs) { // overflowed
            return Duration.ofMillis(maxMs);
        }
        return Duration.ofMillis(Math.min(maxMs, exponential));
    }

    /**
     * Equal jitter: half of {@link #delay(int)} plus {@code random} (0 to 1, clamped) of the other half, so a
     * crowd of callers that failed together does not retry together.
     */
    public Duration jittered(int retry, double random) {
        long exponential = delay(retry).toMillis();
        long half = exponential / 2;
        return Duration.ofMillis(half + (long) (Math.max(0, Math.min(random, 1)) * (exponential - half)));
    }
}
