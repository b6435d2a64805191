package dev.rollwatch.deploy.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.rollwatch.deploy.config.DeployConfig;
import dev.rollwatch.events.SmokeCheck;
import jakarta.enterprise.context.ApplicationScoped;
import dev.rollwatch.platform.http.BoundedHttp;
import dev.rollwatch.platform.http.OutboundUrlPolicy;
import dev.rollwatch.platform.json.Mappers;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a smoke step's HTTP checks (outside any transaction). Every check runs, so the pass rate is complete. A check
 * sends its headers (secret references resolved here, at the last moment) and asserts, in order, the status, the
 * body substring, each expected response header and each JSON Pointer of the body. A failure names the check (its
 * method and URL without query or user info), which expectation failed and the status it got, but never quotes the
 * remote body or header values: the text reaches API callers; a short excerpt goes to the service log only.
 * <p>
 * Every attempt is bounded ({@link BoundedHttp}): one deadline for headers and body (the check's timeout, at most
 * {@link #MAX_TIMEOUT}) and at most {@link #MAX_BODY} bytes of body; the whole step stops starting attempts after
 * {@link #STEP_BUDGET}, so a smoke step holds its engine thread (and the deployment) for a bounded time.
 * <p>
 * Every attempt goes through the {@link OutboundUrlPolicy} for the deployment's environment and connects to the
 * address it vetted (issue 17, 1); a refused destination fails the check with a fixed message.
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

    /** The longest excerpt of a remote body the service log quotes. */
    static final int EXCERPT = 80;
    /** The longest timeout a check may ask for (longer ones are refused by the API). */
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);
    /** The longest body a check reads; a longer one fails the check. */
    static final int MAX_BODY = 1 << 20;
    /** The time after which a smoke step starts no more attempts (the checks not yet passed fail). */
    static final Duration STEP_BUDGET = Duration.ofSeconds(90);
    private static final Logger LOG = Logger.getLogger(SmokeRunner.class);
    private static final ObjectMapper JSON = Mappers.lenient();

    private final Duration defaultTimeout;
    private final SmokeSecrets secrets;
    private final HttpClient client;
    private final OutboundUrlPolicy policy;

    @Inject
    public SmokeRunner(DeployConfig config, SmokeSecrets secrets, OutboundUrlPolicy policy) {
        this(config.engine().smokeTimeout(), secrets, policy);
    }

    /** {@code policy} null: checks are not vetted (unit tests only). */
    SmokeRunner(Duration defaultTimeout, SmokeSecrets secrets, OutboundUrlPolicy policy) {
        this.defaultTimeout = defaultTimeout;
        this.secrets = secrets;
        this.client = BoundedHttp.client(min(defaultTimeout, MAX_TIMEOUT));
        this.policy = policy;
    }

    SmokeRunner(Duration defaultTimeout, SmokeSecrets secrets) {
        this(defaultTimeout, secrets, null);
    }

    /** Runs a smoke step's checks for a deployment to {@code environment} (whose outbound allow-list applies). */
    public Result run(List<SmokeCheck> checks, String environment) {
        return run(checks, STEP_BUDGET, environment);
    }

    Result run(List<SmokeCheck> checks) {
        return run(checks, STEP_BUDGET, null);
    }

    Result run(List<SmokeCheck> checks, Duration budget) {
        return run(checks, budget, null);
    }

    Result run(List<SmokeCheck> checks, Duration budget, String environment) {
        long end = System.nanoTime() + budget.toNanos();
        List<String> failures = new ArrayList<>();
        int passed = 0;
        for (SmokeCheck check : checks) {
            String failure = runWithRetries(check, end, budget, environment);
            if (failure == null) {
                passed++;
            } else {
                failures.add(failure);
            }
        }
        return new Result(passed, checks.size(), failures);
    }

    /**
     * Null when the check passed within its attempts, else what the last attempt got. The attempts follow one
     * another without a wait (not platform's {@code Backoff}, on purpose): the check's {@code retries} and the
     * step's budget are the user's, and a smoke check is a probe of the new version, not a call to be eased off.
     */
    private String runWithRetries(SmokeCheck check, long end, Duration budget, String environment) {
        int attempts = 1 + (check.retries() == null ? 0 : Math.max(0, check.retries()));
        String failure = null;
        int made = 0;
        for (int i = 0; i < attempts; i++) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                String what = (check.method() == null ? "GET" : check.method()) + " " + BoundedHttp.where(check.url());
                return failure == null ? what + ": not run: the smoke step's " + budget.toSeconds() + " s budget "
                        + "was spent" : failure + " (" + made + " attempts; the step's budget was spent)";
            }
            failure = once(check, Duration.ofNanos(left), environment);
            if (failure != null && failure.endsWith(REFUSED)) {
                return failure; // the policy answers the same every time
            }
            made++;
            if (failure == null) {
                return null;
            }
        }
        return failure + (attempts > 1 ? " (" + attempts + " attempts)" : "");
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
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
            return what + ": body is not JSON";
        }
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            JsonNode want = JSON.valueToTree(e.getValue());
            JsonNode got = root.at(e.getKey());
            if (got instanceof MissingNode) {
                return what + ": JSON " + e.getKey() + " expected " + want + ", got nothing";
            }
            if (!sameJson(want, got)) {
                return what + ": JSON " + e.getKey() + " expected " + want + ", got a different value";
            }
        }
        return null;
    }

    /** JSON equality, numbers by value (1 equals 1.0). */
    static boolean sameJson(JsonNode a, JsonNode b) {
        return a.equals((x, y) -> x.isNumber() && y.isNumber()
                ? x.decimalValue().compareTo(y.decimalValue()) : x.equals(y) ? 0 : 1, b);
    }


    /** What a check the outbound policy refuses says (the policy's reason goes to the log only). */
    static final String REFUSED = "refused: the destination is not allowed by the outbound policy";

    private String once(SmokeCheck check, Duration left, String environment) {
        String method = check.method() == null ? "GET" : check.method();
        int expected = check.expectStatus() == null ? 200 : check.expectStatus();
        Duration timeout = min(min(check.timeout() == null ? defaultTimeout : check.timeout(), MAX_TIMEOUT), left);
        if (timeout.isZero()) {
            timeout = Duration.ofMillis(1);
        }
        String what = method + " " + BoundedHttp.where(check.url());
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(check.url())).timeout(timeout)
                    .method(method, HttpRequest.BodyPublishers.noBody());
        } catch (IllegalArgumentException e) {
            return what + ": invalid URL";
        }
        if (check.headers() != null) {
            for (Map.Entry<String, String> h : check.headers().entrySet()) {
                try {
                    request.header(h.getKey(), secrets.resolve(h.getValue()));
                } catch (IllegalStateException e) {
                    return what + ": header " + h.getKey() + " not sent: " + e.getMessage();
                }
            }
        }
        BoundedHttp.Response response;
        try {
            response = policy == null ? BoundedHttp.send(client, request.build(), timeout, MAX_BODY)
                    : BoundedHttp.send(client, request.build(), timeout, MAX_BODY, policy, environment);
        } catch (OutboundUrlPolicy.RefusedDestination e) {
            LOG.warnf("smoke check %s refused by the outbound policy: %s", what, e.getMessage());
            return what + ": " + REFUSED;
        } catch (BoundedHttp.OutboundException e) {
            return what + ": " + e.getMessage();
        }
        String body = response.text();
        String failure = expectations(check, expected, response, body, what);
        if (failure != null) {
            LOG.infof("smoke check %s failed: %s; body: %s", what, failure,
                    BoundedHttp.logExcerpt(response.body(), EXCERPT));
        }
        return failure;
    }

    private static String expectations(SmokeCheck check, int expected, BoundedHttp.Response response, String body,
            String what) {
        if (response.status() != expected) {
            return what + ": expected status " + expected + ", got " + response.status();
        }
        if (check.bodyContains() != null && !body.contains(check.bodyContains())) {
            return what + ": body does not contain '" + check.bodyContains() + "'";
        }
        if (check.expectHeaders() != null) {
            for (Map.Entry<String, String> h : check.expectHeaders().entrySet()) {
                String got = response.headers().firstValue(h.getKey()).orElse(null);
                if (!h.getValue().equals(got)) {
                    return what + ": response header " + h.getKey() + " expected '" + h.getValue() + "', got "
                            + (got == null ? "none" : "a different value");
                }
            }
        }
        if (check.expectJson() != null) {
            return jsonFailure(what, check.expectJson(), body);
        }
        return null;
    }
}
