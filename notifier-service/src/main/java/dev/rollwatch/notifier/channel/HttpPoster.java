package dev.rollwatch.notifier.channel;

import dev.rollwatch.notifier.config.NotifierConfig;
import dev.rollwatch.notifier.domain.HttpOutcomes;
import dev.rollwatch.notifier.domain.SendResult;
import dev.rollwatch.platform.http.BoundedHttp;
import dev.rollwatch.platform.http.OutboundUrlPolicy;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Posts JSON to receivers through platform's pinned, bounded path ({@link BoundedHttp#send(HttpClient, HttpRequest,
 * Duration, long, OutboundUrlPolicy, String)}): the destination is re-checked against the outbound policy before
 * every send and the connection goes to the address that check vetted (no DNS rebinding in between), redirects are
 * never followed, every attempt has one deadline for the whole exchange, and the response body is not read at all
 * (it is never shown to anyone).
 */
@ApplicationScoped
public class HttpPoster {

    static final String USER_AGENT = "Rollwatch-Notifier/0.1";

    private final HttpClient client;
    private final OutboundUrlPolicy policy;
    private final Duration timeout;

    public HttpPoster(NotifierConfig config, OutboundUrlPolicy policy) {
        this.timeout = config.delivery().timeout();
        this.policy = policy;
        this.client = BoundedHttp.client(timeout);
    }

    public SendResult post(String url, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url));
        } catch (IllegalArgumentException | NullPointerException e) {
            try {
                policy.check(url); // says why (scheme, no host, …)
            } catch (OutboundUrlPolicy.RefusedDestination refused) {
                return new SendResult.Rejected(null, "destination refused: " + refused.getMessage());
            }
            return new SendResult.Rejected(null, "destination refused: not a valid URL");
        }
        request.timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            // 0 bytes: status and headers only, the body is never read
            BoundedHttp.Response response = BoundedHttp.send(client, request.build(), timeout, 0, policy, null);
            return HttpOutcomes.classify(response.status(),
                    response.headers().firstValue("Retry-After").orElse(null), Instant.now());
        } catch (OutboundUrlPolicy.RefusedDestination e) {
            return new SendResult.Rejected(null, "destination refused: " + e.getMessage());
        } catch (BoundedHttp.OutboundException e) {
            return switch (e.failure()) {
                case TIMEOUT -> new SendResult.Retryable(null, "no answer within " + timeout.toMillis() + " ms", null);
                case INTERRUPTED -> new SendResult.Retryable(null, "interrupted", null);
                default -> new SendResult.Retryable(null, "connection failed: " + e.getMessage(), null);
            };
        }
    }
}
