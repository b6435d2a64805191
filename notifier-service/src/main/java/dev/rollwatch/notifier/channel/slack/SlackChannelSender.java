package dev.rollwatch.notifier.channel.slack;

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
 * A Slack incoming webhook: Block Kit blocks (header, the message, links) with {@code text} as the fallback that
 * notifications and old clients show. The URL is the credential, so it is never shown in full.
 */
@ApplicationScoped
public class SlackChannelSender implements ChannelSender {

    public static final String TYPE = "slack";
    private static final ObjectMapper JSON = Mappers.lenient();
    /** Slack's limits: header text 150 characters, section text 3000. */
    private static final int HEADER_MAX = 150;
    private static final int SECTION_MAX = 3000;

    private final HttpPoster poster;

    public SlackChannelSender(HttpPoster poster) {
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
        root.put("text", a.text());
        ArrayNode blocks = root.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", cut(a.title(), HEADER_MAX));
        String details = a.text().startsWith(a.title()) ? a.text().substring(a.title().length()).strip() : a.text();
        int links = details.indexOf("\nDeployment: ");
        if (links >= 0) {
            details = details.substring(0, links);
        }
        ObjectNode section = blocks.addObject().put("type", "section");
        section.putObject("text").put("type", "mrkdwn").put("text", cut(escape(details), SECTION_MAX));
        ObjectNode context = blocks.addObject().put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", "<" + a.deploymentUrl() + "|Deployment> · <" + a.timelineUrl() + "|Audit timeline>"
                        + " · event " + a.eventId());
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render Slack body for event " + a.eventId(), e);
        }
    }

    /** Slack mrkdwn needs &, < and > escaped. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
