package dev.rollwatch.monitor.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.stream.Stream;

import static dev.rollwatch.monitor.domain.Verification.Outcome.PENDING;
import static dev.rollwatch.monitor.domain.Verification.Outcome.UNVERIFIED;
import static dev.rollwatch.monitor.domain.Verification.Outcome.VERIFIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** A rollback's verification outcome, one named case per row. */
class VerificationTest {

    private static final Instant UNTIL = Instant.parse("2026-01-01T12:30:00Z");

    static Stream<Arguments> outcomes() {
        return Stream.of(
                arguments("inside the window with nothing wrong: still pending", false, false, -60, PENDING),
                arguments("the window over with nothing wrong: VERIFIED", false, false, 0, VERIFIED),
                arguments("a check breached on the restored version: UNVERIFIED at once", true, false, -1700,
                        UNVERIFIED),
                arguments("the restored version unreachable for the outage window: UNVERIFIED", false, true, -60,
                        UNVERIFIED),
                arguments("a breach at the very end still wins over VERIFIED", true, false, 0, UNVERIFIED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outcomes")
    void theOutcome(String name, boolean breached, boolean outage, long secondsFromEnd,
            Verification.Outcome expected) {
        assertThat(Verification.decide(breached, outage, UNTIL, UNTIL.plusSeconds(secondsFromEnd)))
                .isEqualTo(expected);
    }
}
