package dev.rollwatch.rollback.domain;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations people write: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, or ISO-8601 {@code PT2M}. */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(-?\\d+)(ms|s|m|h)");

    private Durations() {
    }

    /**
     * Empty when the text is not a duration at all, or one too large to hold in milliseconds (99999999999999999999m
     * overflows a long: that was a 500).
     */
    public static Optional<Duration> parse(String text) {
        try {
            return parseUnchecked(text).filter(d -> d.toMillis() >= Long.MIN_VALUE); // toMillis throws if too large
        } catch (NumberFormatException | ArithmeticException tooLarge) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> parseUnchecked(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Matcher m = SHORT.matcher(text.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return Optional.of(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
        }
        try {
            return Optional.of(Duration.parse(text.trim()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The short form people write back: {@code 5m}, {@code 90s}, {@code 250ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
