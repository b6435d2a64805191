package dev.rollwatch.deploy.service;

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

/** Runs a smoke step's HTTP checks (outside any transaction). Every check runs, so the pass rate is complete. */
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

    private final Duration defaultTimeout;
    private final HttpClient client;

    @Inject
    public SmokeRunner(DeployConfig config) {
        this(config.engine().smokeTimeout());
    }

    SmokeRunner(Duration defaultTimeout) {
        this.defaultTimeout = defaultTimeout;
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

    private String once(SmokeCheck check) {
        String method = check.method() == null ? "GET" : check.method();
        int expected = check.expectStatus() == null ? 200 : check.expectStatus();
        Duration timeout = check.timeout() == null ? defaultTimeout : check.timeout();
        String what = method + " " + check.url();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(check.url())).timeout(timeout)
                    .method(method, HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                return what + ": expected status " + expected + ", got " + response.statusCode();
            }
            if (check.bodyContains() != null && (response.body() == null
                    || !response.body().contains(check.bodyContains()))) {
                return what + ": body does not contain '" + check.bodyContains() + "'";
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
