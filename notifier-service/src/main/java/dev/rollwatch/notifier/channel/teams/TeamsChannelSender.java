package dev.rollwatch.notifier.channel.teams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollwatch.notifier.channel.ChannelSender;
import dev.rollwatch.notifier.channel.ChannelTarget;
import dev.rollwatch.notifier.channel.HttpPoster;
import dev.rollwatch.notifier.channel.OutgoingAlert;
import dev.rollwatch.notifier.domain.SendResult;
import dev.rollwatch.platform.json.Mappers;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

/**
 * Microsoft Teams through a Workflows ("When a Teams webhook request is received") webhook: a message whose one
 * attachment is an Adaptive Card (title, facts, details, links as buttons). The Workflows URL carries its
 * signature ({@code sig=}) in the query, so the URL is a credential and is never shown in full.
 */
@ApplicationScoped
public class TeamsChannelSender implements ChannelSender {

    public static final String TYPE = "teams";
    static final String ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";
    private static final ObjectMapper JSON = Mappers.lenient();

    private final HttpPoster poster;

    public TeamsChannelSender(HttpPoster poster) {
        this.poster = poster;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean urlIsSecret() {
        return true;
    }

    @Override
    public SendResult send(ChannelTarget channel, OutgoingAlert alert) {
        return poster.post(channel.url(), body(alert), Map.of());
    }

    public static byte[] body(OutgoingAlert a) {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "message");
        ObjectNode attachment = root.putArray("attachments").addObject();
        attachment.put("contentType", ADAPTIVE_CARD);
        attachment.putNull("contentUrl");
        ObjectNode card = attachment.putObject("content");
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        ArrayNode body = card.putArray("body");
        body.addObject().put("type", "TextBlock").put("text", a.title()).put("size", "Medium")
                .put("weight", "Bolder").put("color", color(a.severity())).put("wrap", true);
        ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
        fact(facts, "Service", a.service());
        fact(facts, "Environment", a.environment());
        fact(facts, "Severity", a.severity());
        fact(facts, "Deployment", a.deploymentId());
        fact(facts, "Event", a.eventId());
        // A TextBlock renders a single newline as a space: paragraphs need a blank line between them.
        body.addObject().put("type", "TextBlock").put("text", a.details().replace("\n", "\n\n")).put("wrap", true);
        ArrayNode actions = card.putArray("actions");
        actions.addObject().put("type", "Action.OpenUrl").put("title", "Deployment").put("url", a.deploymentUrl());
        actions.addObject().put("type", "Action.OpenUrl").put("title", "Audit timeline").put("url", a.timelineUrl());
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render Teams body for event " + a.eventId(), e);
        }
    }

    private static void fact(ArrayNode facts, String title, String value) {
        if (value != null) {
            facts.addObject().put("title", title).put("value", value);
        }
    }

    /** Adaptive Card colours: P0 and P1 attention (red), P2 warning, the rest the default. */
    static String color(String severity) {
        if ("P0".equals(severity) || "P1".equals(severity)) {
            return "Attention";
        }
        return "P2".equals(severity) ? "Warning" : "Default";
    }
}
