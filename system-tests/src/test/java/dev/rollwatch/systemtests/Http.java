package dev.rollwatch.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollwatch.testsupport.TestTokens;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A small JSON-over-HTTP client, the way a user's script talks to Rollwatch: every request carries a bearer token,
 * by default {@link TestTokens#authorization()} (every role, every service, subject
 * {@value TestTokens#TEST_SUBJECT}), which the services {@code ServiceProcess} starts trust.
 */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Reply(int status, JsonNode body, String contentType) {
        Reply(int status, JsonNode body) {
            this(status, body, "");
        }
    }

    private Http() {
    }

    static Reply get(String url) throws IOException, InterruptedException {
        return get(url, TestTokens.authorization());
    }

    /** A GET with this {@code Authorization} header value ({@code null}: none). */
    static Reply get(String url, String authorization) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), authorization);
    }

    static Reply post(String url, String json) throws IOException, InterruptedException {
        return post(url, json, TestTokens.authorization());
    }

    /** A POST with this {@code Authorization} header value ({@code null}: none). */
    static Reply post(String url, String json, String authorization) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), authorization);
    }

    static Reply put(String url, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)), TestTokens.authorization());
    }

    static Reply delete(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).DELETE(), TestTokens.authorization());
    }

    /** The body as text (NDJSON, Prometheus text); fails on anything but 200. */
    static String getText(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", TestTokens.authorization()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static Reply send(HttpRequest.Builder request, String authorization)
            throws IOException, InterruptedException {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> r = CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        String body = r.body();
        return new Reply(r.statusCode(), body == null || body.isBlank() ? JSON.nullNode() : JSON.readTree(body),
                r.headers().firstValue("Content-Type").orElse(""));
    }
}
