package dev.rollwatch.cli.commands;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --timeout, --ttl, --analysis: the services' reading of a duration, plus a plain number of seconds. */
class DurationConverterTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "refused", textBlock = """
            # option value,  duration or the refusal
            1s,              PT1S
            0s,              PT0S
            150,             PT2M30S
            15m,             PT15M
            2d,              PT48H
            PT10M,           PT10M
            7d,              PT168H
            8d,              must be between 0 and 7 days
            PT-5M,           must be between 0 and 7 days
            -5m,             must be between 0 and 7 days
            99999999999999999999,   is not a duration
            soon,            is not a duration
            """)
    void anOptionDurationReadsAsTheServicesReadIt(String value, String expected) {
        if (expected.startsWith("P")) {
            assertThat(DurationConverter.parse(value)).as(value).isEqualTo(Duration.parse(expected));
        } else {
            assertThatThrownBy(() -> new DurationConverter().convert(value)).as(value)
                    .isInstanceOf(CommandLine.TypeConversionException.class).hasMessageContaining(expected);
        }
    }
}
