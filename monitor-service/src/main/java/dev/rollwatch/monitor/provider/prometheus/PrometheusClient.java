package dev.rollwatch.monitor.provider.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollwatch.monitor.provider.Reading;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One instant query over the Prometheus HTTP API ({@code GET /api/v1/query}), turned into a {@link Reading}.
 * Everything that is not one finite number is "could not measure" with the reason, never a failure: an
 * unreachable server, HTTP 400 ({@code bad_data}), 422 ({@code execution}), 503 ({@code timeout},
 * {@code unavailable}), {@code "status": "error"} with its {@code errorType} and {@code error}, an empty vector
 * (no data), a vector of several series (the query must aggregate to one), a matrix or string result, NaN and
 * ±Inf. {@code warnings} of a successful answer are kept as the reading's note.
 */
public class PrometheusClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final Duration timeout;
    private final HttpClient http;

    public PrometheusClient(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** Evaluates {@code promql} at the server's current time. */
    public Reading query(String promql) {
        Instant asked = Instant.now();
        URI uri = URI.create(baseUrl + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&timeout=" + timeout.toMillis() + "ms");
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(timeout.plusMillis(500)).GET()
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reading.couldNotMeasure("interrupted while querying Prometheus", asked);
        } catch (Exception e) {
            return Reading.couldNotMeasure("Prometheus at " + baseUrl + " unreachable: " + e, asked);
        }
        return read(response.statusCode(), response.body(), asked);
    }

    /** The reading of one API answer (package-visible for tests of the envelope cases). */
    static Reading read(int status, String body, Instant asked) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (Exception e) {
            root = null;
        }
        if (root == null || !root.isObject() || !root.has("status")) {
            return Reading.couldNotMeasure("Prometheus answered HTTP " + status + " without an API envelope: "
                    + abbreviate(body), asked);
        }
        if (!"success".equals(root.path("status").asText()) || status != 200) {
            return Reading.couldNotMeasure("Prometheus query failed (HTTP " + status + ", "
                    + root.path("errorType").asText("no errorType") + "): " + root.path("error").asText("no error"),
                    asked);
        }
        String note = warnings(root);
        JsonNode data = root.path("data");
        String type = data.path("resultType").asText();
        JsonNode result = data.path("result");
        return switch (type) {
            case "vector" -> {
                if (result.size() == 0) {
                    yield Reading.couldNotMeasure("no data: the query returned an empty vector"
                            + (note == null ? "" : " (" + note + ")"), asked);
                }
                if (result.size() > 1) {
                    yield Reading.couldNotMeasure("the query returned " + result.size() + " series; a check needs "
                            + "one value: aggregate it (sum, avg, max, …)", asked);
                }
                yield sample(result.get(0).path("value"), note, asked);
            }
            case "scalar" -> sample(result, note, asked);
            default -> Reading.couldNotMeasure("the query returned a " + (type.isEmpty() ? "missing" : type)
                    + " result; a check needs an instant vector of one series or a scalar", asked);
        };
    }

    /** A {@code [<unix time>, "<value>"]} pair. */
    private static Reading sample(JsonNode pair, String note, Instant asked) {
        if (!pair.isArray() || pair.size() != 2) {
            return Reading.couldNotMeasure("malformed sample in the answer: " + pair, asked);
        }
        Instant at = pair.get(0).isNumber()
                ? Instant.ofEpochMilli(Math.round(pair.get(0).asDouble() * 1000)) : asked;
        double value;
        try {
            value = parse(pair.get(1).asText());
        } catch (NumberFormatException e) {
            return Reading.couldNotMeasure("not a number in the answer: " + pair.get(1), at);
        }
        return Reading.of(value, at, note);
    }

    /** Prometheus' float text: also {@code NaN}, {@code +Inf}, {@code -Inf}. */
    static double parse(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static String warnings(JsonNode root) {
        JsonNode warnings = root.path("warnings");
        if (!warnings.isArray() || warnings.isEmpty()) {
            return null;
        }
        List<String> all = new ArrayList<>();
        warnings.forEach(w -> all.add(w.asText()));
        return "Prometheus warnings: " + String.join("; ", all);
    }

    private static String abbreviate(String body) {
        String text = body == null ? "" : body.strip();
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
