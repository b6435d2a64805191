package dev.rollwatch.events;

import java.time.Duration;
import java.util.Map;

/**
 * One HTTP check of a smoke step. It passes when the answer has {@code expectStatus}, its body contains
 * {@code bodyContains}, every {@code expectHeaders} header has the given value, and every {@code expectJson} JSON
 * Pointer (RFC 6901, e.g. {@code /status}) of the JSON body equals the given JSON value. {@code headers} are sent with
 * the request; a value written {@code ${secret:NAME}} is a reference the deploy service resolves from its own
 * configuration when it sends, so credentials never travel in events or land in the audit log. A failed smoke check
 * is a P1 signal.
 */
public record SmokeCheck(String url, String method, Integer expectStatus, String bodyContains, Duration timeout,
        Integer retries, Map<String, String> headers, Map<String, String> expectHeaders,
        Map<String, Object> expectJson) {

    public SmokeCheck(String url, String method, Integer expectStatus, String bodyContains, Duration timeout,
            Integer retries) {
        this(url, method, expectStatus, bodyContains, timeout, retries, null, null, null);
    }

    public SmokeCheck {
        Require.text(url, "smoke.url");
        headers = headers == null || headers.isEmpty() ? null : Map.copyOf(headers);
        expectHeaders = expectHeaders == null || expectHeaders.isEmpty() ? null : Map.copyOf(expectHeaders);
        expectJson = expectJson == null || expectJson.isEmpty() ? null : java.util.Collections.unmodifiableMap(
                new java.util.TreeMap<>(expectJson));
    }
}
