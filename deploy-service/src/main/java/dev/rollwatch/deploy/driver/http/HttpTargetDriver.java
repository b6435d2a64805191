package dev.rollwatch.deploy.driver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollwatch.deploy.driver.DeploymentTarget;
import dev.rollwatch.deploy.driver.DriverException;
import dev.rollwatch.deploy.driver.TargetDriver;
import dev.rollwatch.deploy.driver.TargetState;
import dev.rollwatch.deploy.registry.TargetUrls;
import dev.rollwatch.events.webhook.StandardWebhooks;
import dev.rollwatch.platform.http.BoundedHttp;
import dev.rollwatch.platform.http.OutboundUrlPolicy;
import dev.rollwatch.platform.json.Mappers;
import dev.rollwatch.platform.retry.Backoff;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code http} driver (docs/target-protocol.md): Standard Webhooks-signed JSON POSTs to
 * {@code {url}/rollwatch/v1/traffic}, {@code /rollwatch/v1/rollback} and {@code /rollwatch/v1/finalize}. Timeouts
 * and 5xx are retried with exponential backoff under the same {@code webhook-id} (fresh timestamp and signature per
 * attempt); 4xx and redirects are final. Each attempt has one deadline for the whole answer, headers and body
 * ({@code requestTimeout}), and reads at most {@code maxResponseBytes} of the body ({@link BoundedHttp}): a target
 * that sends its headers and then drips its body fails at the deadline instead of holding the engine's thread. A
 * failure says what failed (the path, the status, timed out, too large) but never quotes the target's body: that
 * text reaches API callers through {@code statusReason}; a short excerpt goes to the service log only.
 * <p>
 * Every call goes through the {@link OutboundUrlPolicy} for the deployment's environment and connects to the address
 * it vetted (issue 17, 1); a refused destination fails the call at once with a fixed message. Call URLs are the
 * target URL's scheme, host, port and path with the fixed path appended ({@link TargetUrls#resolve}): a target URL
 * with user info, a query or a fragment is never called. A call to a registered target that has its own signing
 * secret is signed with it, else with the global one.
 */
public class HttpTargetDriver implements TargetDriver {

    private static final Logger LOG = Logger.getLogger(HttpTargetDriver.class);
    private static final ObjectMapper JSON = Mappers.lenient();

    /** How the driver calls targets; {@code secret} null means unsigned calls. */
    public record Settings(String secret, Duration connectTimeout, Duration requestTimeout, int maxAttempts,
            Duration backoff, Duration maxBackoff, int maxResponseBytes) {

        /** With the default cap on a response body (64 KiB). */
        public Settings(String secret, Duration connectTimeout, Duration requestTimeout, int maxAttempts,
                Duration backoff, Duration maxBackoff) {
            this(secret, connectTimeout, requestTimeout, maxAttempts, backoff, maxBackoff, 65_536);
        }
    }

    /** The signing secret of a target's own registration, if it has one (else the global secret signs). */
    @FunctionalInterface
    public interface SigningSecrets {
        Optional<String> of(DeploymentTarget target);
    }

    /** What a call refused by the outbound policy says (the policy's reason goes to the log only). */
    static final String REFUSED = "refused: the destination is not allowed by the outbound policy";

    private final Settings settings;
    private final StandardWebhooks signer;
    private final HttpClient client;
    private final SigningSecrets secrets;
    private final OutboundUrlPolicy policy;

    /** Without per-target secrets or an outbound policy (unit tests). */
    public HttpTargetDriver(Settings settings) {
        this(settings, t -> Optional.empty(), null);
    }

    /** {@code policy} null: calls are not vetted (unit tests only). */
    public HttpTargetDriver(Settings settings, SigningSecrets secrets, OutboundUrlPolicy policy) {
        this.settings = settings;
        this.signer = settings.secret() == null ? null : new StandardWebhooks(settings.secret());
        this.client = BoundedHttp.client(settings.connectTimeout());
        this.secrets = secrets;
        this.policy = policy;
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
        URI uri;
        try {
            uri = TargetUrls.resolve(target.url(), "/health");
        } catch (IllegalArgumentException e) {
            return new Health(false, "health not probed: the target URL is not usable");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(settings.requestTimeout()).GET().build();
        try {
            // Only the status matters: the body is not read.
            int status = send(request, 0, target).status();
            return new Health(status == 200, "health " + status);
        } catch (OutboundUrlPolicy.RefusedDestination e) {
            LOG.warnf("health probe of %s refused by the outbound policy: %s", BoundedHttp.where(uri.toString()),
                    e.getMessage());
            return new Health(false, "health " + REFUSED);
        } catch (BoundedHttp.OutboundException e) {
            return new Health(false, "health " + (e.failure() == BoundedHttp.Failure.INTERRUPTED ? "probe interrupted"
                    : "unreachable: " + e.getMessage()));
        }
    }

    private TargetState post(DeploymentTarget target, String path, Map<String, Object> body, String messageId) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        URI uri;
        try {
            uri = TargetUrls.resolve(target.url(), path);
        } catch (IllegalArgumentException e) {
            throw new DriverException("POST " + path + " not sent: the target URL is not usable (it must be "
                    + "http(s)://host[:port][/path], without user info, query or fragment)", 0, null);
        }
        StandardWebhooks sign;
        try {
            sign = secrets.of(target).map(StandardWebhooks::new).orElse(signer);
        } catch (RuntimeException e) {
            LOG.errorf("the signing secret of the registered target of %s/%s cannot be used: %s", target.service(),
                    target.environment(), e.getMessage());
            throw new DriverException("POST " + path + " not sent: the target's signing secret cannot be read", 0,
                    null);
        }
        String lastProblem = null;
        Throwable lastCause = null;
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            if (attempt > 1) {
                pause(backoff(attempt - 1));
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(settings.requestTimeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
            headers(sign, messageId, bytes).forEach(request::header);
            try {
                BoundedHttp.Response response = send(request.build(), settings.maxResponseBytes(), target);
                int status = response.status();
                if (status >= 200 && status < 300) {
                    return state(response.text());
                }
                lastProblem = "POST " + path + " answered " + status;
                LOG.infof("target call %s %s answered %d: %s", messageId, BoundedHttp.where(uri.toString()), status,
                        BoundedHttp.logExcerpt(response.body(), 120));
                if (status < 500) {
                    // 4xx is the target refusing this call (and a 3xx is a redirect we do not follow): final.
                    throw new DriverException(lastProblem, attempt, null);
                }
            } catch (OutboundUrlPolicy.RefusedDestination e) {
                LOG.warnf("target call %s %s refused by the outbound policy: %s", messageId,
                        BoundedHttp.where(uri.toString()), e.getMessage());
                throw new DriverException("POST " + path + " " + REFUSED, attempt, null); // the same again: final
            } catch (BoundedHttp.OutboundException e) {
                if (e.failure() == BoundedHttp.Failure.INTERRUPTED) {
                    Thread.currentThread().interrupt();
                    throw new DriverException("POST " + path + " interrupted", attempt, e);
                }
                lastCause = e;
                lastProblem = "POST " + path + " failed: " + e.getMessage();
                if (e.failure() == BoundedHttp.Failure.TOO_LARGE) {
                    throw new DriverException(lastProblem, attempt, e); // the same answer again: final
                }
            }
            LOG.warnf("target call %s %s attempt %d/%d failed: %s", messageId, BoundedHttp.where(uri.toString()),
                    attempt, settings.maxAttempts(), lastProblem);
        }
        throw new DriverException(lastProblem + " (after " + settings.maxAttempts() + " attempts)",
                settings.maxAttempts(), lastCause);
    }

    /** The Standard Webhooks headers of one attempt: same id every time, this attempt's timestamp and signature. */
    Map<String, String> headers(String messageId, byte[] body) {
        return headers(signer, messageId, body);
    }

    private static Map<String, String> headers(StandardWebhooks signer, String messageId, byte[] body) {
        Instant now = Instant.now();
        if (signer != null) {
            return signer.headers(messageId, now, body);
        }
        return Map.of(StandardWebhooks.ID, messageId, StandardWebhooks.TIMESTAMP,
                Long.toString(now.getEpochSecond()));
    }

    /**
     * The wait before retry {@code retry}: platform's {@link Backoff}, without jitter (one engine thread waits for
     * one target; nothing to spread out).
     */
    Duration backoff(int retry) {
        return new Backoff(settings.backoff(), settings.maxBackoff()).delay(retry);
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One bounded call, vetted by the outbound policy for the deployment's environment and pinned (if a policy). */
    private BoundedHttp.Response send(HttpRequest request, int maxBytes, DeploymentTarget target)
            throws BoundedHttp.OutboundException {
        if (policy == null) {
            return BoundedHttp.send(client, request, settings.requestTimeout(), maxBytes);
        }
        return BoundedHttp.send(client, request, settings.requestTimeout(), maxBytes, policy, target.environment());
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

}
