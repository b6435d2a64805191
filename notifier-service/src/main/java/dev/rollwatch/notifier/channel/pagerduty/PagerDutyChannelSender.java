package dev.rollwatch.notifier.channel.pagerduty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.EventType;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackVerified;
import dev.rollwatch.notifier.channel.ChannelSender;
import dev.rollwatch.notifier.channel.ChannelTarget;
import dev.rollwatch.notifier.channel.HttpPoster;
import dev.rollwatch.notifier.channel.OutgoingAlert;
import dev.rollwatch.notifier.config.NotifierConfig;
import dev.rollwatch.notifier.domain.SendResult;
import dev.rollwatch.platform.json.Mappers;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * PagerDuty Events API v2. The channel's secret is the integration's {@code routing_key}. Every page about a
 * deployment's health (a breach, a rollback request, a failed or escalated rollback) triggers the same alert,
 * {@code dedup_key = rollwatch/<deployment id>/health}, so PagerDuty groups them into one incident; a rollback
 * that completed (SUCCEEDED), or whose restored version was VERIFIED, resolves it with the same key; an UNVERIFIED
 * one (P0) triggers it again at severity critical. Other kinds of alert get their own key
 * ({@code rollwatch/<deployment id>/<kind>}).
 */
@ApplicationScoped
public class PagerDutyChannelSender implements ChannelSender {

    public static final String TYPE = "pagerduty";
    private static final ObjectMapper JSON = Mappers.lenient();
    private static final Pattern ROUTING_KEY = Pattern.compile("[A-Za-z0-9]{32}");
    /** PagerDuty's limit on {@code payload.summary}. */
    private static final int SUMMARY_MAX = 1024;

    private final HttpPoster poster;
    private final String eventsUrl;

    public PagerDutyChannelSender(HttpPoster poster, NotifierConfig config) {
        this.poster = poster;
        this.eventsUrl = config.pagerduty().eventsUrl();
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
        checkRoutingKey(secret);
    }

    public static void checkRoutingKey(String secret) {
        if (!ROUTING_KEY.matcher(secret).matches()) {
            throw new IllegalArgumentException("a PagerDuty routing key (the integration key of an Events API v2 "
                    + "integration) is 32 letters and digits");
        }
    }

    @Override
    public Optional<String> defaultUrl() {
        return Optional.of(eventsUrl);
    }

    @Override
    public SendResult send(ChannelTarget channel, OutgoingAlert alert) {
        return poster.post(channel.url(), body(channel.secret(), alert), Map.of());
    }

    /** The Events API v2 body: a trigger, or a resolve when the alert is a rollback that succeeded. */
    public static byte[] body(String routingKey, OutgoingAlert a) {
        ObjectNode root = JSON.createObjectNode();
        root.put("routing_key", routingKey);
        boolean resolve = resolves(a);
        root.put("event_action", resolve ? "resolve" : "trigger");
        root.put("dedup_key", dedupKey(a));
        if (!resolve) {
            ObjectNode payload = root.putObject("payload");
            payload.put("summary", a.title().length() <= SUMMARY_MAX ? a.title()
                    : a.title().substring(0, SUMMARY_MAX - 1) + "…");
            payload.put("source", a.service() + "/" + a.environment());
            payload.put("severity", severity(a));
            payload.put("component", a.service());
            payload.put("group", a.environment());
            payload.put("class", kind(a));
            ObjectNode details = payload.putObject("custom_details");
            details.put("severity", a.severity());
            details.put("details", a.details());
            details.put("deployment_id", a.deploymentId());
            details.put("event_id", a.eventId());
            details.put("event_type", a.eventType());
            root.put("client", "Rollwatch");
            root.put("client_url", a.deploymentUrl());
            root.putArray("links")
                    .add(JSON.createObjectNode().put("href", a.deploymentUrl()).put("text", "Deployment"))
                    .add(JSON.createObjectNode().put("href", a.timelineUrl()).put("text", "Audit timeline"));
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render PagerDuty body for event " + a.eventId(), e);
        }
    }

    /** One PagerDuty alert per deployment and alert kind. */
    public static String dedupKey(OutgoingAlert a) {
        return "rollwatch/" + a.deploymentId() + "/" + kind(a);
    }

    /** {@code health} for everything on the breach → rollback path, else the event's topic name. */
    static String kind(OutgoingAlert a) {
        EventType type = EventType.fromType(a.eventType()).orElse(null);
        if (type == null) {
            return "other";
        }
        return switch (type) {
            case THRESHOLD_BREACHED, ROLLBACK_REQUESTED, ROLLBACK_COMPLETED, ROLLBACK_ESCALATED, ROLLBACK_DECIDED,
                 ROLLBACK_VERIFIED -> "health";
            default -> type.topic();
        };
    }

    /**
     * P0 and P1 critical (P0: the target is down, or the restored version is not healthy; both are pages that must
     * wake someone, and critical is PagerDuty's highest), P2 error, P3 warning; a rollback request without severity
     * is an error, the rest info.
     */
    static String severity(OutgoingAlert a) {
        if (a.severity() != null) {
            return switch (a.severity()) {
                case "P0", "P1" -> "critical";
                case "P2" -> "error";
                case "P3" -> "warning";
                default -> "info";
            };
        }
        return EventType.ROLLBACK_REQUESTED.type().equals(a.eventType()) ? "error" : "info";
    }

    /** A rollback that SUCCEEDED, or a rollback whose restored version was VERIFIED healthy, ends the incident. */
    private static boolean resolves(OutgoingAlert a) {
        if (!EventType.ROLLBACK_COMPLETED.type().equals(a.eventType())
                && !EventType.ROLLBACK_VERIFIED.type().equals(a.eventType())) {
            return false;
        }
        EventData data = EventCodec.decode(a.eventPayload().getBytes(StandardCharsets.UTF_8)).data();
        return data instanceof RollbackCompleted c && c.outcome() == RollbackOutcome.SUCCEEDED
                || data instanceof RollbackVerified v && RollbackVerified.VERIFIED.equals(v.outcome());
    }
}
