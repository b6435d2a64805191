package dev.rollwatch.demotarget.rest;

import dev.rollwatch.demotarget.config.DemoConfig;
import dev.rollwatch.events.webhook.StandardWebhooks;
import dev.rollwatch.events.webhook.StandardWebhooks.WebhookVerificationException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Checks the Standard Webhooks signature of driver calls when a secret is configured. Created at start-up, so a
 * malformed secret stops the target instead of failing the first call.
 */
@ApplicationScoped
public class WebhookGuard {

    private final Optional<StandardWebhooks> webhooks;
    private final Duration tolerance;
    private final Clock clock;

    public WebhookGuard(DemoConfig config, Clock clock) {
        this.webhooks = config.webhookSecret().filter(secret -> !secret.isBlank()).map(StandardWebhooks::new);
        this.tolerance = config.webhookTolerance();
        this.clock = clock;
    }

    void announce(@Observes StartupEvent event) {
        if (webhooks.isEmpty()) {
            Log.warn("demo.webhook-secret (DEMO_WEBHOOK_SECRET) is not set: driver calls are accepted without "
                    + "checking their webhook signatures");
        } else {
            Log.info("driver calls must carry a valid Standard Webhooks signature");
        }
    }

    /** Returns normally if the call may be applied; otherwise throws a 401 problem. */
    public void verify(String webhookId, String timestamp, String signature, byte[] body) {
        if (webhooks.isEmpty()) {
            return;
        }
        try {
            webhooks.get().verify(webhookId, timestamp, signature, body, clock.instant(), tolerance);
        } catch (WebhookVerificationException e) {
            Log.warnf("driver call refused: webhookId=%s reason=%s", webhookId, e.getMessage());
            throw ProblemException.invalidSignature(e.getMessage());
        }
    }
}
