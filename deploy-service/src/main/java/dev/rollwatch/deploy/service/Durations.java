package dev.rollwatch.deploy.service;

import dev.rollwatch.platform.rest.ProblemException;

import java.time.Duration;

/**
 * A duration in a request ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 2d}, or ISO-8601 {@code PT2M}),
 * read by the one parser every module shares ({@link dev.rollwatch.events.Durations}) and refused with a 400
 * {@code invalid-duration} that names the field when it is not a duration or lies outside 0 to 7 days.
 */
public final class Durations {

    private Durations() {
    }

    /** Null when the text is null or blank (the field was not given). */
    public static Duration parse(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Duration d = dev.rollwatch.events.Durations.parse(text).orElseThrow(() -> looksLikeANumber(text)
                ? outOfRange(field)
                : ProblemException.badRequest("invalid-duration", field + " '" + text + "' is not a duration (use "
                        + dev.rollwatch.events.Durations.FORMS + ")"));
        if (!dev.rollwatch.events.Durations.inRange(d)) {
            throw outOfRange(field);
        }
        return d;
    }

    /** 99999999999999999999s (too large to hold) reads as out of range, as it always has, not as gibberish. */
    private static boolean looksLikeANumber(String text) {
        return text.trim().matches("-?\\d+(ms|s|m|h|d)");
    }

    private static ProblemException outOfRange(String field) {
        return ProblemException.badRequest("invalid-duration", field + " must be between 0 and 7 days");
    }
}
