package dev.rollwatch.events;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The durations people write, read one way everywhere (deploy-service's strategies and admission policies,
 * rollback-service's policies, the CLI's options): {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 2d}, or
 * ISO-8601 ({@code PT2M}, {@code P1D}). Here because the CLI, which cannot use platform, depends on this module.
 *
 * <p>One rule for signs and bounds: {@link #parse} reads a negative value ({@code -5m}, {@code PT-5M}) so that the
 * caller can say "must be positive" rather than "not a duration"; a number too large to hold in milliseconds is not a
 * duration (it was a 500). Every duration a user gives Rollwatch lies within {@link #inRange 0 to 7 days} (a
 * caller asking for positive values refuses zero as well).
 */
public final class Durations {

    /** The longest duration Rollwatch accepts from a user. */
    public static final Duration MAX = Duration.ofDays(7);
    /** What a user may write, for messages. */
    public static final String FORMS = "500ms, 30s, 2m, 1h, 2d or PT2M";

    private static final Pattern SHORT = Pattern.compile("(-?\\d+)(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * The duration the text names; empty when it is null, blank, not a duration at all, or too large to hold in
     * milliseconds ({@code 99999999999999999999m} overflows a long).
     */
    public static Optional<Duration> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String t = text.trim();
        try {
            Matcher m = SHORT.matcher(t);
            Duration d;
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } else {
                d = Duration.parse(t);
            }
            d.toMillis(); // throws when it does not fit in milliseconds
            return Optional.of(d);
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException notADuration) {
            return Optional.empty();
        }
    }

    /** Between 0 and {@link #MAX}, both included. */
    public static boolean inRange(Duration d) {
        return !d.isNegative() && d.compareTo(MAX) <= 0;
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
