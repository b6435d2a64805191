package dev.rollwatch.cli.commands;

import dev.rollwatch.events.Durations;
import picocli.CommandLine;

import java.time.Duration;

/**
 * {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 2d}, ISO-8601 ({@code PT10M}) — read as the services read
 * them ({@link Durations}) — or, on the command line only, a plain number of seconds; between 0 and 7 days.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        String v = value.strip();
        Duration d = Durations.parse(v.matches("\\d+") ? v + "s" : v).orElseThrow(
                () -> new CommandLine.TypeConversionException("'" + value + "' is not a duration (500ms, 30s, 10m, 1h, "
                        + "2d, PT10M)"));
        if (!Durations.inRange(d)) {
            throw new CommandLine.TypeConversionException("'" + value + "' must be between 0 and 7 days");
        }
        return d;
    }
}
