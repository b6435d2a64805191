package dev.rollwatch.notifier.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

    final RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofMinutes(2));

    @Test
    void backoffDoublesPerAttemptWithJitterBetweenHalfAndAll() {
        assertThat(policy.backoff(1, 0.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.backoff(1, 1.0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(2, 0.0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(3, 1.0)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.backoff(4, 0.5)).isEqualTo(Duration.ofMillis(6000));
    }

    @Test
    void backoffIsCappedEvenAfterManyAttempts() {
        assertThat(policy.backoff(6, 1.0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.backoff(200, 1.0)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void serverErrorsAreRetriedUntilTheLastAttempt() {
        SendResult error = HttpOutcomes.classify(503, null, Instant.now());
        RetryPolicy.Decision first = policy.decide(1, error, 1.0);
        assertThat(first.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(first.retryIn()).isEqualTo(Duration.ofSeconds(1));
        RetryPolicy.Decision last = policy.decide(5, error, 1.0);
        assertThat(last.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(last.outcome()).isEqualTo(RetryPolicy.EXHAUSTED);
    }

    @Test
    void retryAfterIsHonouredInsteadOfTheBackoff_upToTheCap() {
        SendResult soon = HttpOutcomes.classify(429, "7", Instant.now());
        assertThat(policy.decide(1, soon, 0.0).retryIn()).isEqualTo(Duration.ofSeconds(7));
        SendResult tomorrow = HttpOutcomes.classify(429, "86400", Instant.now());
        assertThat(policy.decide(1, tomorrow, 0.0).retryIn()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void clientErrorsOtherThan429AreFinalAtOnce() {
        RetryPolicy.Decision d = policy.decide(1, HttpOutcomes.classify(400, null, Instant.now()), 0.5);
        assertThat(d.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(d.outcome()).isEqualTo(RetryPolicy.REJECTED);
        assertThat(d.disableChannel()).isFalse();
    }

    @Test
    void goneIsFinalAndDisablesTheChannel() {
        RetryPolicy.Decision d = policy.decide(1, HttpOutcomes.classify(410, null, Instant.now()), 0.5);
        assertThat(d.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(d.outcome()).isEqualTo(RetryPolicy.CHANNEL_GONE);
        assertThat(d.disableChannel()).isTrue();
    }

    @Test
    void successIsDelivered() {
        assertThat(policy.decide(3, HttpOutcomes.classify(204, null, Instant.now()), 0.5).status())
                .isEqualTo(DeliveryStatus.DELIVERED);
    }
}
