package dev.rollwatch.deploy.service;

import dev.rollwatch.platform.rest.ProblemException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations users write: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 2d}, or ISO-8601 {@code PT2M}. */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {
    }

    public static Duration parse(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Matcher m = SHORT.matcher(text.trim());
        Duration d;
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "d" -> Duration.ofDays(n);
                    default -> Duration.ofHours(n);
                };
            } catch (NumberFormatException | ArithmeticException tooLarge) {
                // 99999999999999999999s overflows long, 9999999999999999d overflows Duration: a 400, not a 500
                throw ProblemException.badRequest("invalid-duration", field + " must be between 0 and 7 days");
            }
        } else {
            try {
                d = Duration.parse(text.trim());
            } catch (DateTimeParseException e) {
                throw ProblemException.badRequest("invalid-duration",
                        field + " '" + text + "' is not a duration (use 500ms, 30s, 2m, 1h, 2d or PT2M)");
            }
        }
        if (d.isNegative() || d.compareTo(Duration.ofDays(7)) > 0) {
            throw ProblemException.badRequest("invalid-duration", field + " must be between 0 and 7 days");
        }
        return d;
    }
}
