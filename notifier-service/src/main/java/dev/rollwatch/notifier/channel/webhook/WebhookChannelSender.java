package dev.rollwatch.notifier.channel.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollwatch.events.webhook.StandardWebhooks;
import dev.rollwatch.notifier.channel.ChannelSender;
import dev.rollwatch.notifier.channel.ChannelTarget;
import dev.rollwatch.notifier.channel.HttpPoster;
import dev.rollwatch.notifier.channel.OutgoingAlert;
import dev.rollwatch.notifier.domain.SendResult;
import dev.rollwatch.platform.json.Mappers;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Map;

/**
 * A generic webhook signed per the Standard Webhooks specification. {@code webhook-id} is the notified event's
 * id, so a receiver can drop a retried message it already has; the body carries the rendered alert and the
 * original CloudEvent.
 */
@ApplicationScoped
public class WebhookChannelSender implements ChannelSender {

    public static final String TYPE = "webhook";
    private static final ObjectMapper JSON = Mappers.lenient();

    private final HttpPoster poster;

    public WebhookChannelSender(HttpPoster poster) {
        this.poster = poster;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean requiresSecret() {
        return true;
    }

    @Override
    public void checkSecret(String secret) {
        new StandardWebhooks(secret);
    }

    @Override
    public SendResult send(ChannelTarget channel, OutgoingAlert alert) {
        byte[] body = body(alert);
        Map<String, String> headers = new StandardWebhooks(channel.secret())
                .headers(alert.eventId(), Instant.now(), body);
        return poster.post(channel.url(), body, headers);
    }

    static byte[] body(OutgoingAlert a) {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "rollwatch.alert");
        root.put("eventId", a.eventId());
        root.put("eventType", a.eventType());
        root.put("deploymentId", a.deploymentId());
        root.put("severity", a.severity());
        root.put("service", a.service());
        root.put("environment", a.environment());
        root.put("title", a.title());
        root.put("text", a.text());
        ObjectNode links = root.putObject("links");
        links.put("deployment", a.deploymentUrl());
        links.put("timeline", a.timelineUrl());
        try {
            root.set("event", JSON.readTree(a.eventPayload()));
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render webhook body for event " + a.eventId(), e);
        }
    }
}
