package dev.rollwatch.notifier.channel;

import dev.rollwatch.notifier.config.NotifierConfig;
import dev.rollwatch.notifier.domain.HttpOutcomes;
import dev.rollwatch.notifier.domain.OutboundUrlPolicy;
import dev.rollwatch.notifier.domain.SendResult;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Posts JSON to receivers: the destination is re-checked against the outbound policy before every send,
 * redirects are never followed, every attempt has a timeout, and the response body is discarded unread (it is
 * never shown to anyone).
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
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    public SendResult post(String url, byte[] body, Map<String, String> headers) {
        URI uri;
        try {
            uri = policy.check(url);
        } catch (OutboundUrlPolicy.RefusedDestination e) {
            return new SendResult.Rejected(null, "destination refused: " + e.getMessage());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return HttpOutcomes.classify(response.statusCode(),
                    response.headers().firstValue("Retry-After").orElse(null), Instant.now());
        } catch (HttpTimeoutException e) {
            return new SendResult.Retryable(null, "no answer within " + timeout.toMillis() + " ms", null);
        } catch (IOException e) {
            return new SendResult.Retryable(null, "connection failed (" + e.getClass().getSimpleName() + ")", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SendResult.Retryable(null, "interrupted", null);
        }
    }
}
