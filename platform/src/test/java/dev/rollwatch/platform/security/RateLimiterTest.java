package dev.rollwatch.platform.security;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void anIdentityGetsItsBurstThenWaitsForTheRefill() {
        RateLimiter limiter = new RateLimiter(3, 2.0);
        long t = 1_000 * SECOND;
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limiter.acquire("alice", t), "request " + i + " of the burst");
        }
        long wait = limiter.acquire("alice", t);
        assertEquals(SECOND / 2, wait, "one token comes back after 1/perSecond");
        assertTrue(limiter.acquire("alice", t + SECOND / 4) > 0, "half a token is not a request");
        assertEquals(0, limiter.acquire("alice", t + SECOND / 2));
        assertTrue(limiter.acquire("alice", t + SECOND / 2) > 0);
    }

    @Test
    void identitiesDoNotShareABucket() {
        RateLimiter limiter = new RateLimiter(1, 1.0);
        assertEquals(0, limiter.acquire("alice", 0));
        assertTrue(limiter.acquire("alice", 0) > 0);
        assertEquals(0, limiter.acquire("bob", 0), "alice's flood does not limit bob");
    }

    @Test
    void theRefillNeverExceedsTheBurst() {
        RateLimiter limiter = new RateLimiter(2, 10.0);
        assertEquals(0, limiter.acquire("alice", 0));
        long later = 3600 * SECOND;
        assertEquals(0, limiter.acquire("alice", later));
        assertEquals(0, limiter.acquire("alice", later));
        assertTrue(limiter.acquire("alice", later) > 0, "an idle hour buys the burst, not 36,000 requests");
    }

    @Test
    void aFloodOfIdentitiesDoesNotGrowWithoutBound() {
        RateLimiter limiter = new RateLimiter(1, 1.0);
        for (int i = 0; i < RateLimiter.MAX_IDENTITIES * 3; i++) {
            limiter.acquire("id-" + i, i * SECOND); // each bucket is full again by the next identity's turn
        }
        assertTrue(limiter.identities() <= RateLimiter.MAX_IDENTITIES + 1, "identities kept: " + limiter.identities());
    }

    @Test
    void waitingTheToldTimeAlwaysGetsAToken_soACallerThatWaitsDropsNothing() {
        RateLimiter limiter = new RateLimiter(1, 3.0);
        long t = 0;
        for (int i = 0; i < 30; i++) {
            long wait = limiter.acquire("ops", t);
            if (wait > 0) {
                t += wait;
                assertEquals(0, limiter.acquire("ops", t), "request " + i + " after its wait");
            }
        }
        // 1 at once, then 29 more at 3 per second.
        assertTrue(t >= 9_666_666_666L && t <= 9_666_667_000L, "30 requests took " + t + " ns");
    }

    @Test
    void theWaitToldIsNeverShorterThanOneMillisecond() {
        RateLimiter limiter = new RateLimiter(1, 2.0);
        assertEquals(0, limiter.acquire("ops", 0));
        assertEquals(1_000_000L, limiter.acquire("ops", 499_900_000L), "0.1 ms short of the next token");
        assertEquals(0, limiter.acquire("ops", 500_000_000L));
    }

    @Test
    void aBucketNeedsABurstAndARate() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(1, 0.0));
    }
}
