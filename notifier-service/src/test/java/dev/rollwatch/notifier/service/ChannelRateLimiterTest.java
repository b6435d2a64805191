package dev.rollwatch.notifier.service;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a channel's sends see of its rate limit (the test settings: 5 at once, then 2 per second), on a clock the
 * test moves. FloodControlIT checks the same on the wire.
 */
class ChannelRateLimiterTest {

    final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    ChannelRateLimiter limiter(int burst, double perSecond) {
        return new ChannelRateLimiter(burst, perSecond, now::get);
    }

    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void theBurstGoesAtOnce_thenTheNextSendIsToldToWaitOneTokensTime() {
        ChannelRateLimiter limiter = limiter(5, 2);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire("ops")).as("send %d of the burst", i).isZero();
        }
        assertThat(limiter.tryAcquire("ops")).isEqualTo(Duration.ofMillis(500));
        advance(Duration.ofMillis(200));
        assertThat(limiter.tryAcquire("ops")).isEqualTo(Duration.ofMillis(300));
        advance(Duration.ofMillis(300));
        assertThat(limiter.tryAcquire("ops")).isZero();
        assertThat(limiter.tryAcquire("ops")).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void eightSendsThatEachWaitTheToldTime_allGo_theEighthOneAndAHalfSecondsAfterTheFirst() {
        ChannelRateLimiter limiter = limiter(5, 2);
        long first = now.get();
        for (int i = 0; i < 8; i++) {
            Duration wait = limiter.tryAcquire("ops");
            while (!wait.isZero()) {
                advance(wait);
                wait = limiter.tryAcquire("ops");
            }
        }
        assertThat(Duration.ofNanos(now.get() - first)).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void waitingTheToldTimeAlwaysGetsAToken_soNothingIsDropped() {
        ChannelRateLimiter limiter = limiter(1, 3);
        long first = now.get();
        for (int i = 0; i < 30; i++) {
            Duration wait = limiter.tryAcquire("ops");
            if (!wait.isZero()) {
                advance(wait);
                assertThat(limiter.tryAcquire("ops")).as("send %d after its wait", i).isZero();
            }
        }
        // 1 at once, then 29 more at 3 per second.
        assertThat(Duration.ofNanos(now.get() - first)).isBetween(Duration.ofMillis(9666), Duration.ofMillis(9667));
    }

    @Test
    void anIdleChannelGetsItsBurstBack_notMore() {
        ChannelRateLimiter limiter = limiter(2, 2);
        limiter.tryAcquire("ops");
        limiter.tryAcquire("ops");
        advance(Duration.ofHours(1));
        assertThat(limiter.tryAcquire("ops")).isZero();
        assertThat(limiter.tryAcquire("ops")).isZero();
        assertThat(limiter.tryAcquire("ops")).isPositive();
    }

    @Test
    void channelsDoNotShareATokenBucket() {
        ChannelRateLimiter limiter = limiter(1, 1);
        assertThat(limiter.tryAcquire("ops")).isZero();
        assertThat(limiter.tryAcquire("ops")).isPositive();
        assertThat(limiter.tryAcquire("pager")).as("a flood on ops does not hold pager back").isZero();
    }

    @Test
    void aWaitIsNeverShorterThanOneMillisecond_soTheWorkerDoesNotAskAgainAtOnce() {
        ChannelRateLimiter limiter = limiter(1, 2);
        limiter.tryAcquire("ops");
        advance(Duration.ofNanos(499_900_000)); // 0.1 ms short of the next token
        assertThat(limiter.tryAcquire("ops")).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void aRateOfZeroIsNoLimit_andABurstBelowOneIsOne() {
        ChannelRateLimiter unlimited = limiter(5, 0);
        for (int i = 0; i < 1000; i++) {
            assertThat(unlimited.tryAcquire("ops")).isZero();
        }
        ChannelRateLimiter noBurst = limiter(0, 2);
        assertThat(noBurst.tryAcquire("ops")).isZero();
        assertThat(noBurst.tryAcquire("ops")).isEqualTo(Duration.ofMillis(500));
    }
}
