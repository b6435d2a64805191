package dev.rollwatch.notifier.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenBucketTest {

    static final Instant T0 = Instant.parse("2026-03-02T14:00:00Z");

    @Test
    void aBurstUpToTheCapacityGoesAtOnce_thenTheCallerIsToldHowLongToWait() {
        TokenBucket bucket = new TokenBucket(3, 2, T0);
        assertThat(bucket.tryTake(T0)).isZero();
        assertThat(bucket.tryTake(T0)).isZero();
        assertThat(bucket.tryTake(T0)).isZero();
        assertThat(bucket.tryTake(T0)).isEqualTo(Duration.ofMillis(500));
        assertThat(bucket.tryTake(T0.plusMillis(200))).isBetween(Duration.ofMillis(299), Duration.ofMillis(301));
    }

    @Test
    void tokensComeBackAtTheRate_andNeverBeyondTheCapacity() {
        TokenBucket bucket = new TokenBucket(2, 2, T0);
        bucket.tryTake(T0);
        bucket.tryTake(T0);
        assertThat(bucket.tryTake(T0.plusMillis(500))).isZero();
        assertThat(bucket.tryTake(T0.plusMillis(500))).isPositive();
        Instant muchLater = T0.plusSeconds(3600);
        assertThat(bucket.tryTake(muchLater)).isZero();
        assertThat(bucket.tryTake(muchLater)).isZero();
        assertThat(bucket.tryTake(muchLater)).isPositive();
    }

    @Test
    void waitingTheToldTimeAlwaysGetsAToken_soNothingIsDropped() {
        TokenBucket bucket = new TokenBucket(1, 3, T0);
        Instant now = T0;
        int sent = 0;
        for (int i = 0; i < 30; i++) {
            Duration wait = bucket.tryTake(now);
            if (wait.isZero()) {
                sent++;
            } else {
                now = now.plus(wait);
                assertThat(bucket.tryTake(now)).isZero();
                sent++;
            }
        }
        assertThat(sent).isEqualTo(30);
        // 1 at once, then 29 more at 3 per second.
        assertThat(Duration.between(T0, now)).isBetween(Duration.ofMillis(9600), Duration.ofMillis(9700));
    }

    @Test
    void aBucketNeedsACapacityAndARate() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0, T0)).isInstanceOf(IllegalArgumentException.class);
    }
}
