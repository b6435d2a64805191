package dev.rollwatch.notifier.channel.email;

import dev.rollwatch.notifier.channel.ChannelSender;
import dev.rollwatch.notifier.channel.ChannelTarget;
import dev.rollwatch.notifier.channel.OutgoingAlert;
import dev.rollwatch.notifier.config.NotifierConfig;
import dev.rollwatch.notifier.domain.SendResult;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * E-mail over SMTP (quarkus-mailer; server and sender address in {@code quarkus.mailer.*}). The channel's
 * destination is a {@code mailto:} URL with one or more comma-separated recipients. Subject = the alert's title;
 * the plain-text body = its full text with the links. The header {@code X-Rollwatch-Event-Id} carries the event
 * id so a mailbox rule can drop a retried copy. Any SMTP failure (connection, timeout, refusal) is retried.
 */
@ApplicationScoped
public class EmailChannelSender implements ChannelSender {

    public static final String TYPE = "email";
    public static final String EVENT_ID_HEADER = "X-Rollwatch-Event-Id";
    private static final String MAILTO = "mailto:";
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s,<>\"]+@[^@\\s,<>\"]+");
    private static final int MAX_RECIPIENTS = 20;

    private final ReactiveMailer mailer;
    private final Duration timeout;

    public EmailChannelSender(ReactiveMailer mailer, NotifierConfig config) {
        this.mailer = mailer;
        this.timeout = config.delivery().timeout();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean httpDestination() {
        return false;
    }

    @Override
    public void checkDestination(String destination) {
        recipients(destination);
    }

    /** The recipients of a {@code mailto:a@example.com,b@example.com} destination. */
    public static List<String> recipients(String destination) {
        if (!destination.regionMatches(true, 0, MAILTO, 0, MAILTO.length())) {
            throw new IllegalArgumentException("an email channel's url is mailto: followed by comma-separated "
                    + "addresses, e.g. mailto:oncall@example.com,sre@example.com");
        }
        String list = destination.substring(MAILTO.length());
        int query = list.indexOf('?');
        if (query >= 0) {
            throw new IllegalArgumentException("mailto: headers (?subject=, ?cc=, …) are not supported");
        }
        List<String> recipients = Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
        if (recipients.isEmpty() || recipients.size() > MAX_RECIPIENTS) {
            throw new IllegalArgumentException("an email channel needs 1 to " + MAX_RECIPIENTS + " recipients");
        }
        for (String r : recipients) {
            if (!ADDRESS.matcher(r).matches()) {
                throw new IllegalArgumentException("'" + r + "' is not an e-mail address");
            }
        }
        return recipients;
    }

    @Override
    public SendResult send(ChannelTarget channel, OutgoingAlert alert) {
        Mail mail = new Mail()
                .setTo(recipients(channel.url()))
                .setSubject(alert.title())
                .setText(alert.text())
                .addHeader(EVENT_ID_HEADER, alert.eventId());
        try {
            mailer.send(mail).await().atMost(timeout);
            return new SendResult.Delivered(null);
        } catch (io.smallrye.mutiny.TimeoutException e) {
            return new SendResult.Retryable(null, "SMTP server did not answer within " + timeout.toMillis() + " ms",
                    null);
        } catch (RuntimeException e) {
            return new SendResult.Retryable(null, "SMTP send failed (" + e.getClass().getSimpleName() + ")", null);
        }
    }
}
