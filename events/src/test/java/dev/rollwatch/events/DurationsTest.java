package dev.rollwatch.events;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** One reading of a written duration for deploy-service, rollback-service and the CLI. */
class DurationsTest {

    @ParameterizedTest(name = "{0} -> {1}, in range: {2}")
    @CsvSource(nullValues = "none", textBlock = """
            # text,                   parsed,               within 0..7 days
            500ms,                    PT0.5S,               true
            30s,                      PT30S,                true
            ' 2m ',                   PT2M,                 true
            1h,                       PT1H,                 true
            2d,                       PT48H,                true
            7d,                       PT168H,               true
            8d,                       PT192H,               false
            0s,                       PT0S,                 true
            PT90S,                    PT1M30S,              true
            P1D,                      PT24H,                true
            PT24H,                    PT24H,                true
            -5m,                      PT-5M,                false
            PT-5M,                    PT-5M,                false
            -1ms,                     PT-0.001S,            false
            five minutes,             none,                 none
            5 m,                      none,                 none
            5M,                       none,                 none
            5,                        none,                 none
            m,                        none,                 none
            '',                       none,                 none
            ' ',                      none,                 none
            none,                     none,                 none
            99999999999999999999s,    none,                 none
            99999999999999999999m,    none,                 none
            9999999999999999d,        none,                 none
            9223372036854775807h,     none,                 none
            PT99999999999999999999H,  none,                 none
            PT2562047788015215H,      none,                 none
            """)
    void aWrittenDurationReadsAsTheSameDurationEverywhere(String text, String parsed, Boolean inRange) {
        if (parsed == null) {
            assertThat(Durations.parse(text)).as("'%s' is not a duration", text).isEmpty();
            return;
        }
        Duration d = Durations.parse(text).orElseThrow();
        assertThat(d).as(text).isEqualTo(Duration.parse(parsed));
        assertThat(Durations.inRange(d)).as("'%s' within 0 to 7 days", text).isEqualTo(inRange);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
            PT5M,     5m
            PT90S,    90s
            PT2H,     2h
            PT120M,   2h
            PT0.25S,  250ms
            PT0S,     0s
            """)
    void aDurationIsWrittenBackInItsShortForm(String iso, String written) {
        assertThat(Durations.format(Duration.parse(iso))).isEqualTo(written);
        assertThat(Durations.parse(written)).contains(Duration.parse(iso));
    }
}
