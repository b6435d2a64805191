package dev.rollwatch.notifier.domain;

import dev.rollwatch.platform.retry.Backoff;

import java.time.Duration;

/**
 * Retries with exponential backoff and equal jitter (platform's {@link Backoff}): attempt n waits between half and
 * all of {@code min(max, initial * 2^(n-1))}. A receiver's {@code Retry-After} is honoured (up to
 * {@code maxRetryAfter}) instead. Pure: the random number comes in. Unlike the target driver's, the wait is
 * jittered (many deliveries to one receiver fail together) and stored on the delivery, not slept.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

    /** The outcome names recorded on a delivery and carried in NotificationFailed's {@code status}. */
    public static final String DELIVERED = "DELIVERED";
    public static final String REJECTED = "REJECTED";
    public static final String EXHAUSTED = "EXHAUSTED";
    public static final String CHANNEL_GONE = "CHANNEL_GONE";

    public record Decision(DeliveryStatus status, String outcome, Duration retryIn, boolean disableChannel) {
    }

    /** What to do after attempt number {@code attempts} (1-based) came to {@code result}. */
    public Decision decide(int attempts, SendResult result, double random) {
        if (result instanceof SendResult.Delivered) {
            return new Decision(DeliveryStatus.DELIVERED, DELIVERED, null, false);
        }
        if (result instanceof SendResult.Gone) {
            return new Decision(DeliveryStatus.FAILED, CHANNEL_GONE, null, true);
        }
        if (result instanceof SendResult.Rejected) {
            return new Decision(DeliveryStatus.FAILED, REJECTED, null, false);
        }
        SendResult.Retryable retryable = (SendResult.Retryable) result;
        if (attempts >= maxAttempts) {
            return new Decision(DeliveryStatus.FAILED, EXHAUSTED, null, false);
        }
        Duration wait = retryable.retryAfter() != null ? min(retryable.retryAfter(), maxRetryAfter)
                : backoff(attempts, random);
        return new Decision(DeliveryStatus.PENDING, null, wait, false);
    }

    /** The jittered wait after attempt {@code attempts}. */
    public Duration backoff(int attempts, double random) {
        return new Backoff(initialBackoff, maxBackoff).jittered(attempts, random);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
