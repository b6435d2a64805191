package dev.rollwatch.platform.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackoffTest {

    @Test
    void eachRetryWaitsTwiceTheLast_upToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        List<Long> waits = new ArrayList<>();
        for (int retry = 1; retry <= 9; retry++) {
            waits.add(backoff.delay(retry).toMillis());
        }
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L, 5000L), waits);
    }

    @Test
    void manyRetriesStayAtTheMaximum_neverOverflow() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));
        assertEquals(Duration.ofMinutes(5), backoff.delay(64));
        assertEquals(Duration.ofMinutes(5), backoff.delay(Integer.MAX_VALUE));
        Backoff huge = new Backoff(Duration.ofDays(365_000), Duration.ofDays(400_000));
        assertEquals(Duration.ofDays(400_000), huge.delay(31), "initial × 2^30 does not fit a long of ms");
    }

    @Test
    void aRetryNumberBelowOneIsTheFirst() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        assertEquals(Duration.ofSeconds(1), backoff.delay(0));
        assertEquals(Duration.ofSeconds(1), backoff.delay(-3));
    }

    @Test
    void equalJitterWaitsBetweenHalfAndAllOfTheDelay() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        assertEquals(Duration.ofMillis(500), backoff.jittered(1, 0.0));
        assertEquals(Duration.ofSeconds(1), backoff.jittered(1, 1.0));
        assertEquals(Duration.ofMillis(6000), backoff.jittered(4, 0.5));
        assertEquals(Duration.ofSeconds(30), backoff.jittered(200, 1.0));
        assertEquals(Duration.ofSeconds(15), backoff.jittered(200, -1.0), "a random number is clamped to 0..1");
        assertEquals(Duration.ofSeconds(30), backoff.jittered(200, 7.0));
    }

    @Test
    void aBackoffNeedsNonNegativeWaits() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofMillis(-1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofMillis(1), null));
    }
}
