package dev.rollwatch.notifier.domain;

import java.time.Duration;

/** What one attempt to deliver came to. Receivers' response bodies are never kept: they are not ours to echo. */
public sealed interface SendResult {

    Integer statusCode();

    String error();

    /** The receiver took it (2xx), or the log channel wrote it. */
    record Delivered(Integer statusCode) implements SendResult {
        @Override
        public String error() {
            return null;
        }
    }

    /** Worth another try: 5xx, 429, 408, a timeout or a connection failure. {@code retryAfter} may be null. */
    record Retryable(Integer statusCode, String error, Duration retryAfter) implements SendResult {
    }

    /** Final: any other 4xx, a redirect (never followed), a refused destination, a disabled channel. */
    record Rejected(Integer statusCode, String error) implements SendResult {
    }

    /** 410 Gone: the receiver is gone for good; the channel gets disabled. */
    record Gone(Integer statusCode, String error) implements SendResult {
    }
}
