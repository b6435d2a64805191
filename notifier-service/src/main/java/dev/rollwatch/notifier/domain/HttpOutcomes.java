package dev.rollwatch.notifier.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Classifies a receiver's HTTP answer. Pure. */
public final class HttpOutcomes {

    private HttpOutcomes() {
    }

    public static SendResult classify(int status, String retryAfterHeader, Instant now) {
        if (status >= 200 && status < 300) {
            return new SendResult.Delivered(status);
        }
        if (status >= 300 && status < 400) {
            return new SendResult.Rejected(status, "HTTP " + status + ": redirect not followed");
        }
        if (status == 410) {
            return new SendResult.Gone(status, "HTTP 410 Gone: the receiver no longer exists");
        }
        if (status == 429) {
            return new SendResult.Retryable(status, "HTTP 429 Too Many Requests", retryAfter(retryAfterHeader, now));
        }
        if (status == 408) {
            return new SendResult.Retryable(status, "HTTP 408 Request Timeout", null);
        }
        if (status >= 500) {
            return new SendResult.Retryable(status, "HTTP " + status, retryAfter(retryAfterHeader, now));
        }
        return new SendResult.Rejected(status, "HTTP " + status);
    }

    /** {@code Retry-After} as delay-seconds or an HTTP date; null when absent or unreadable. */
    public static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
