package dev.rollwatch.deploy.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.rollwatch.deploy.config.DeployConfig;
import dev.rollwatch.events.SmokeCheck;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a smoke step's HTTP checks (outside any transaction). Every check runs, so the pass rate is complete. A check
 * sends its headers (secret references resolved here, at the last moment) and asserts, in order, the status, the
 * body substring, each expected response header and each JSON Pointer of the body; a failure names what it expected
 * and what it got, quoting at most a short excerpt of the remote body.
 */
@ApplicationScoped
public class SmokeRunner {

    /** The outcome of one smoke step: how many checks passed, and what each failed one got. */
    public record Result(int passed, int total, List<String> failures) {
        public boolean allPassed() {
            return failures.isEmpty();
        }

        public String firstFailure() {
            return failures.isEmpty() ? null : failures.get(0);
        }

        public String summary() {
            return passed + "/" + total + " smoke checks passed"
                    + (failures.isEmpty() ? "" : "; " + String.join("; ", failures));
        }
    }

    /** The longest excerpt of a remote body a failure quotes. */
    static final int EXCERPT = 80;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Duration defaultTimeout;
    private final SmokeSecrets secrets;
    private final HttpClient client;

    @Inject
    public SmokeRunner(DeployConfig config, SmokeSecrets secrets) {
        this(config.engine().smokeTimeout(), secrets);
    }

    SmokeRunner(Duration defaultTimeout, SmokeSecrets secrets) {
        this.defaultTimeout = defaultTimeout;
        this.secrets = secrets;
        this.client = HttpClient.newBuilder().connectTimeout(defaultTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    public Result run(List<SmokeCheck> checks) {
        List<String> failures = new ArrayList<>();
        int passed = 0;
        for (SmokeCheck check : checks) {
            String failure = runWithRetries(check);
            if (failure == null) {
                passed++;
            } else {
                failures.add(failure);
            }
        }
        return new Result(passed, checks.size(), failures);
    }

    /** Null when the check passed within its attempts, else what the last attempt got. */
    private String runWithRetries(SmokeCheck check) {
        int attempts = 1 + (check.retries() == null ? 0 : Math.max(0, check.retries()));
        String failure = null;
        for (int i = 0; i < attempts; i++) {
            failure = once(check);
            if (failure == null) {
                return null;
            }
        }
        return failure + (attempts > 1 ? " (" + attempts + " attempts)" : "");
    }

    /** Null when every JSON Pointer of {@code expected} has its value in {@code body}, else the first that does not. */
    static String jsonFailure(String what, Map<String, Object> expected, String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException e) {
            root = null;
        }
        if (root == null) {
            return what + ": body is not JSON" + excerpt(body);
        }
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            JsonNode want = JSON.valueToTree(e.getValue());
            JsonNode got = root.at(e.getKey());
            if (got instanceof MissingNode) {
                return what + ": JSON " + e.getKey() + " expected " + want + ", got nothing";
            }
            if (!sameJson(want, got)) {
                return what + ": JSON " + e.getKey() + " expected " + want + ", got " + shorten(got.toString());
            }
        }
        return null;
    }

    /** JSON equality, numbers by value (1 equals 1.0). */
    static boolean sameJson(JsonNode a, JsonNode b) {
        return a.equals((x, y) -> x.isNumber() && y.isNumber()
                ? x.decimalValue().compareTo(y.decimalValue()) : x.equals(y) ? 0 : 1, b);
    }

    /** ": body '…'" with at most {@link #EXCERPT} characters of a remote body, on one line; empty for none. */
    static String excerpt(String body) {
        return body == null || body.isBlank() ? "" : " (body '" + shorten(body) + "')";
    }

    static String shorten(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= EXCERPT ? line : line.substring(0, EXCERPT) + "…";
    }

    private String once(SmokeCheck check) {
        String method = check.method() == null ? "GET" : check.method();
        int expected = check.expectStatus() == null ? 200 : check.expectStatus();
        Duration timeout = check.timeout() == null ? defaultTimeout : check.timeout();
        String what = method + " " + check.url();
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(check.url())).timeout(timeout)
                    .method(method, HttpRequest.BodyPublishers.noBody());
            if (check.headers() != null) {
                for (Map.Entry<String, String> h : check.headers().entrySet()) {
                    try {
                        request.header(h.getKey(), secrets.resolve(h.getValue()));
                    } catch (IllegalStateException e) {
                        return what + ": header " + h.getKey() + " not sent: " + e.getMessage();
                    }
                }
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                return what + ": expected status " + expected + ", got " + response.statusCode()
                        + excerpt(response.body());
            }
            if (check.bodyContains() != null && (response.body() == null
                    || !response.body().contains(check.bodyContains()))) {
                return what + ": body does not contain '" + check.bodyContains() + "'" + excerpt(response.body());
            }
            if (check.expectHeaders() != null) {
                for (Map.Entry<String, String> h : check.expectHeaders().entrySet()) {
                    String got = response.headers().firstValue(h.getKey()).orElse(null);
                    if (!h.getValue().equals(got)) {
                        return what + ": response header " + h.getKey() + " expected '" + h.getValue() + "', got "
                                + (got == null ? "none" : "'" + shorten(got) + "'");
                    }
                }
            }
            if (check.expectJson() != null) {
                return jsonFailure(what, check.expectJson(), response.body());
            }
            return null;
        } catch (HttpTimeoutException e) {
            return what + ": no answer within " + timeout.toMillis() + " ms";
        } catch (IOException | IllegalArgumentException e) {
            return what + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return what + ": interrupted";
        }
    }
}
