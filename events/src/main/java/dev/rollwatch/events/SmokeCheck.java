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
        // Sorted by name, as expectJson by pointer: Map.copyOf iterates in an order that changes from one JVM start
        // to the next, and the codec writes a map in its iteration order (the canonical bytes must not change).
        headers = headers == null || headers.isEmpty() ? null : java.util.Collections.unmodifiableMap(
                new java.util.TreeMap<>(headers));
        expectHeaders = expectHeaders == null || expectHeaders.isEmpty() ? null : java.util.Collections
                .unmodifiableMap(new java.util.TreeMap<>(expectHeaders));
        expectJson = expectJson == null || expectJson.isEmpty() ? null : java.util.Collections.unmodifiableMap(
                new java.util.TreeMap<>(expectJson));
    }
}
