package dev.rollwatch.notifier.channel.log;

import dev.rollwatch.notifier.channel.ChannelSender;
import dev.rollwatch.notifier.channel.ChannelTarget;
import dev.rollwatch.notifier.channel.OutgoingAlert;
import dev.rollwatch.notifier.domain.SendResult;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The built-in channel: one structured log line per alert (logger {@code dev.rollwatch.notifier.alert}), so the
 * embedded default shows alerts with no outside system, and nothing routed to an unconfigured channel is lost.
 */
@ApplicationScoped
public class LogChannelSender implements ChannelSender {

    public static final String TYPE = "log";
    private static final Logger ALERTS = Logger.getLogger("dev.rollwatch.notifier.alert");

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean requiresUrl() {
        return false;
    }

    @Override
    public SendResult send(ChannelTarget channel, OutgoingAlert a) {
        ALERTS.infof("alert deploymentId=%s eventId=%s eventType=%s severity=%s service=%s environment=%s "
                        + "channel=%s fallbackFor=%s message=\"%s\"", a.deploymentId(), a.eventId(), a.eventType(),
                a.severity(), a.service(), a.environment(), channel.name(), a.fallbackFor(),
                a.text().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " | "));
        return new SendResult.Delivered(null);
    }
}
