package dev.rollwatch.monitor.provider.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollwatch.monitor.provider.Reading;
import dev.rollwatch.platform.http.BoundedHttp;
import dev.rollwatch.platform.http.OutboundUrlPolicy;
import dev.rollwatch.platform.json.Mappers;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
 * <p>
 * A query is bounded ({@link BoundedHttp}): the query timeout plus 500 ms for headers and body, at most
 * {@value #MAX_BODY} bytes of answer. The server (an operator's setting, not a request's) is named by scheme, host,
 * port and path; an answer that is not the API's envelope is described, never quoted; the envelope's own
 * {@code error} text (Prometheus' explanation of a bad query) is kept, cut to {@value #MAX_ERROR} characters.
 * <p>
 * Like every outbound call, a query goes through the platform's {@link OutboundUrlPolicy} for the deployment's
 * environment and connects to the vetted (pinned) address: a Prometheus on a private address must be allow-listed
 * ({@code rollwatch.outbound.allowed}, or per environment); refused, nothing is sent and the reading is ERROR.
 */
public class PrometheusClient {

    private static final ObjectMapper JSON = Mappers.lenient();
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(PrometheusClient.class);
    /** The longest answer read (1 MiB): a check needs one number. */
    static final int MAX_BODY = 1 << 20;
    static final int MAX_ERROR = 200;

    private final String baseUrl;
    private final Duration timeout;
    private final HttpClient http;
    private final OutboundUrlPolicy policy;

    public PrometheusClient(String baseUrl, Duration timeout, OutboundUrlPolicy policy) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
        this.http = BoundedHttp.client(timeout);
        this.policy = policy;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** Evaluates {@code promql} at the server's current time, for a deployment of {@code environment}. */
    public Reading query(String promql, String environment) {
        Instant asked = Instant.now();
        URI uri = URI.create(baseUrl + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&timeout=" + timeout.toMillis() + "ms");
        BoundedHttp.Response response;
        try {
            response = BoundedHttp.send(http, HttpRequest.newBuilder(uri).timeout(timeout.plusMillis(500)).GET()
                    .header("Accept", "application/json").build(), timeout.plusMillis(500), MAX_BODY, policy,
                    environment);
        } catch (OutboundUrlPolicy.RefusedDestination e) {
            LOG.warnf("Prometheus at %s refused by the outbound policy for environment %s: %s",
                    BoundedHttp.where(baseUrl), environment, e.getMessage());
            return Reading.couldNotMeasure("Prometheus at " + BoundedHttp.where(baseUrl) + " is not an allowed "
                    + "destination (outbound policy: allow-list it with rollwatch.outbound.allowed)", asked);
        } catch (BoundedHttp.OutboundException e) {
            if (e.failure() == BoundedHttp.Failure.INTERRUPTED) {
                return Reading.couldNotMeasure("interrupted while querying Prometheus", asked);
            }
            return Reading.couldNotMeasure("Prometheus at " + BoundedHttp.where(baseUrl) + " unreachable: "
                    + e.getMessage(), asked);
        }
        return read(response.status(), response.text(), asked);
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
            return Reading.couldNotMeasure("Prometheus answered HTTP " + status + " without an API envelope"
                    + (body == null || body.isBlank() ? " (empty body)" : ""), asked);
        }
        if (!"success".equals(root.path("status").asText()) || status != 200) {
            return Reading.couldNotMeasure("Prometheus query failed (HTTP " + status + ", "
                    + abbreviate(root.path("errorType").asText("no errorType")) + "): "
                    + abbreviate(root.path("error").asText("no error")), asked);
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
        String text = body == null ? "" : body.replaceAll("\\p{Cntrl}+", " ").strip();
        return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) + "…" : text;
    }
}
