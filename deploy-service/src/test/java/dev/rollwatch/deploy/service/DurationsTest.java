package dev.rollwatch.deploy.service;

import dev.rollwatch.platform.rest.ProblemException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    @Test
    void shortAndIsoFormsParse() {
        assertThat(Durations.parse("500ms", "f")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("2d", "f")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("PT2M", "f")).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void numbersThatOverflowAreAnInvalidDurationNotAnInternalError() {
        for (String text : new String[] {"99999999999999999999s", "9999999999999999d", "9223372036854775807h",
                "PT99999999999999999999H", "8d"}) {
            assertThatThrownBy(() -> Durations.parse(text, "strategy.steps[1].pause.duration"))
                    .as(text).isInstanceOfSatisfying(ProblemException.class, p -> {
                        assertThat(p.status()).isEqualTo(400);
                        assertThat(p.type()).isEqualTo("invalid-duration");
                    });
        }
    }
}
