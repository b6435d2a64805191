package dev.rollwatch.deploy.driver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollwatch.deploy.driver.DeploymentTarget;
import dev.rollwatch.deploy.driver.DriverException;
import dev.rollwatch.deploy.driver.TargetDriver;
import dev.rollwatch.deploy.driver.TargetState;
import dev.rollwatch.events.webhook.StandardWebhooks;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code http} driver (docs/target-protocol.md): Standard Webhooks-signed JSON POSTs to
 * {@code {url}/rollwatch/v1/traffic}, {@code /rollwatch/v1/rollback} and {@code /rollwatch/v1/finalize}. Timeouts
 * and 5xx are retried with exponential backoff under the same {@code webhook-id} (fresh timestamp and signature per
 * attempt); 4xx and redirects are final.
 */
public class HttpTargetDriver implements TargetDriver {

    private static final Logger LOG = Logger.getLogger(HttpTargetDriver.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the driver calls targets; {@code secret} null means unsigned calls. */
    public record Settings(String secret, Duration connectTimeout, Duration requestTimeout, int maxAttempts,
            Duration backoff, Duration maxBackoff) {
    }

    private final Settings settings;
    private final StandardWebhooks signer;
    private final HttpClient client;

    public HttpTargetDriver(Settings settings) {
        this.settings = settings;
        this.signer = settings.secret() == null ? null : new StandardWebhooks(settings.secret());
        this.client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    public boolean signs() {
        return signer != null;
    }

    @Override
    public String type() {
        return "http";
    }

    @Override
    public TargetState setWeight(DeploymentTarget target, int weight, String messageId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deploymentId", target.deploymentId().toString());
        body.put("service", target.service());
        body.put("environment", target.environment());
        body.put("stableVersion", target.stableVersion());
        body.put("canaryVersion", target.canaryVersion());
        body.put("weight", weight);
        return post(target, "/rollwatch/v1/traffic", body, messageId);
    }

    @Override
    public TargetState rollback(DeploymentTarget target, String toVersion, String messageId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deploymentId", target.deploymentId().toString());
        body.put("service", target.service());
        body.put("environment", target.environment());
        body.put("toVersion", toVersion);
        return post(target, "/rollwatch/v1/rollback", body, messageId);
    }

    @Override
    public TargetState finalize(DeploymentTarget target, String version, String messageId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deploymentId", target.deploymentId().toString());
        body.put("service", target.service());
        body.put("environment", target.environment());
        body.put("version", version);
        return post(target, "/rollwatch/v1/finalize", body, messageId);
    }

    @Override
    public Health health(DeploymentTarget target) {
        HttpRequest request = HttpRequest.newBuilder(uri(target, "/health")).timeout(settings.requestTimeout())
                .GET().build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Health(response.statusCode() == 200, "health " + response.statusCode());
        } catch (IOException e) {
            return new Health(false, "health unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Health(false, "health probe interrupted");
        }
    }

    private TargetState post(DeploymentTarget target, String path, Map<String, Object> body, String messageId) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        URI uri = uri(target, path);
        String lastProblem = null;
        Throwable lastCause = null;
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            if (attempt > 1) {
                pause(backoff(attempt - 1));
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(settings.requestTimeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
            headers(messageId, bytes).forEach(request::header);
            try {
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return state(response.body());
                }
                lastProblem = "POST " + path + " answered " + status + brief(response.body());
                if (status < 500) {
                    // 4xx is the target refusing this call (and a 3xx is a redirect we do not follow): final.
                    throw new DriverException(lastProblem, attempt, null);
                }
            } catch (IOException e) {
                lastCause = e;
                lastProblem = "POST " + path + " failed: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DriverException("POST " + path + " interrupted", attempt, e);
            }
            LOG.warnf("target call %s %s attempt %d/%d failed: %s", messageId, uri, attempt, settings.maxAttempts(),
                    lastProblem);
        }
        throw new DriverException(lastProblem + " (after " + settings.maxAttempts() + " attempts)",
                settings.maxAttempts(), lastCause);
    }

    /** The Standard Webhooks headers of one attempt: same id every time, this attempt's timestamp and signature. */
    Map<String, String> headers(String messageId, byte[] body) {
        Instant now = Instant.now();
        if (signer != null) {
            return signer.headers(messageId, now, body);
        }
        return Map.of(StandardWebhooks.ID, messageId, StandardWebhooks.TIMESTAMP,
                Long.toString(now.getEpochSecond()));
    }

    Duration backoff(int retry) {
        long millis = settings.backoff().toMillis() << Math.min(20, retry - 1);
        return Duration.ofMillis(Math.min(millis, settings.maxBackoff().toMillis()));
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static URI uri(DeploymentTarget target, String path) {
        return URI.create(target.url().replaceAll("/+$", "") + path);
    }

    private static TargetState state(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            return new TargetState(text(n, "service"), text(n, "stableVersion"), text(n, "canaryVersion"),
                    n.hasNonNull("weight") ? n.get("weight").asInt() : null);
        } catch (IOException e) {
            return new TargetState(null, null, null, null);
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static String brief(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        return ": " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
    }
}
