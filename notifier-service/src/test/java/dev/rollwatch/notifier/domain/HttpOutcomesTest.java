package dev.rollwatch.notifier.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class HttpOutcomesTest {

    final Instant now = Instant.parse("2026-03-02T14:00:00Z");

    @ParameterizedTest
    @CsvSource({"200, Delivered", "202, Delivered", "204, Delivered", "301, Rejected", "302, Rejected",
            "307, Rejected", "400, Rejected", "401, Rejected", "404, Rejected", "408, Retryable", "410, Gone",
            "429, Retryable", "500, Retryable", "502, Retryable", "503, Retryable"})
    void classifiesEveryKindOfAnswer(int status, String kind) {
        assertThat(HttpOutcomes.classify(status, null, now).getClass().getSimpleName()).isEqualTo(kind);
    }

    @Test
    void redirectsAreNeverFollowedAndSaySo() {
        assertThat(HttpOutcomes.classify(302, null, now).error()).contains("redirect not followed");
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        assertThat(HttpOutcomes.retryAfter("120", now)).isEqualTo(Duration.ofMinutes(2));
        assertThat(HttpOutcomes.retryAfter("Mon, 02 Mar 2026 14:00:30 GMT", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(HttpOutcomes.retryAfter("Mon, 02 Mar 2026 13:00:00 GMT", now)).isEqualTo(Duration.ZERO);
        assertThat(HttpOutcomes.retryAfter("soon", now)).isNull();
        assertThat(HttpOutcomes.retryAfter(null, now)).isNull();
        assertThat(((SendResult.Retryable) HttpOutcomes.classify(429, "3", now)).retryAfter())
                .isEqualTo(Duration.ofSeconds(3));
    }
}
