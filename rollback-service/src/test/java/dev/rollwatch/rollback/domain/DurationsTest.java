package dev.rollwatch.rollback.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DurationsTest {

    @Test
    void shortAndIsoFormsParse() {
        assertThat(Durations.parse("250ms")).contains(Duration.ofMillis(250));
        assertThat(Durations.parse("5m")).contains(Duration.ofMinutes(5));
        assertThat(Durations.parse("PT1H")).contains(Duration.ofHours(1));
        assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
    }

    @Test
    void numbersThatOverflowAreNotADurationNotAnInternalError() {
        // Each was a NumberFormatException or ArithmeticException (a 500 on PUT /api/v1/policies/…).
        for (String text : new String[] {"99999999999999999999m", "9223372036854775807h", "PT2562047788015215H"}) {
            assertThat(Durations.parse(text)).as(text).isEqualTo(Optional.empty());
        }
    }
}
