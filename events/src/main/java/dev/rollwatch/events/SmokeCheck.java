package dev.rollwatch.events;

import java.time.Duration;

/** One HTTP check of a smoke step. A failed smoke check is a P1 signal. */
public record SmokeCheck(String url, String method, Integer expectStatus, String bodyContains, Duration timeout,
        Integer retries) {
    public SmokeCheck {
        Require.text(url, "smoke.url");
    }
}
