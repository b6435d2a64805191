package dev.rollwatch.notifier;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.NotificationDelivered;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rollwatch.notifier.Alerts.WAIT;
import static dev.rollwatch.notifier.Alerts.awaitOutcome;
import static dev.rollwatch.notifier.Alerts.breach;
import static dev.rollwatch.notifier.Alerts.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** E-mail over real SMTP: quarkus-mailer (not the mock) sends to GreenMail, and the test reads what arrived. */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpPortResource.class, restrictToAnnotatedClass = false)
class EmailIT {

    private static KafkaTestClient kafka;
    private static GreenMail smtp;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @BeforeEach
    void startSmtpServer() {
        if (smtp == null) {
            int port = ConfigProvider.getConfig().getValue("quarkus.mailer.port", Integer.class);
            smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            smtp.start();
        }
    }

    @AfterAll
    static void stop() {
        kafka.close();
        if (smtp != null) {
            smtp.stop();
        }
    }

    static List<MimeMessage> messagesTo(String address) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                jakarta.mail.Address[] to = m.getRecipients(Message.RecipientType.TO);
                return to != null && Arrays.stream(to).anyMatch(r -> r.toString().equals(address));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    static String text(MimeMessage message) throws Exception {
        Object content = message.getContent();
        if (content instanceof Multipart multipart) {
            return multipart.getBodyPart(0).getContent().toString();
        }
        return content.toString();
    }

    @Test
    void anAlertArrivesAsAnEmailWithTheTitleAsSubjectAndWhatAPersonNeedsInTheBody() throws Exception {
        String channel = unique("mail");
        String oncall = channel + "-oncall@rollwatch.test";
        String sre = channel + "-sre@rollwatch.test";
        given().contentType(ContentType.JSON)
                .body(Map.of("name", channel, "type", "email", "url", "mailto:" + oncall + "," + sre))
                .post("/api/v1/channels").then().statusCode(201)
                .body("url", equalTo("mailto:" + oncall + "," + sre)).body("hasSecret", equalTo(false));
        String service = HttpChannelsIT.routeTo(channel);
        String deploymentId = UUID.randomUUID().toString();
        Envelope<ThresholdBreached> breach = breach(deploymentId, service, Severity.P2);
        kafka.send(breach);

        Envelope<NotificationDelivered> outcome = awaitOutcome(kafka, deploymentId, channel,
                NotificationDelivered.class);
        assertThat(outcome.data().channelType()).isEqualTo("email");
        assertThat(outcome.data().attempts()).isEqualTo(1);
        await().atMost(WAIT).until(() -> messagesTo(sre).size() == 2);
        // GreenMail keeps one copy per recipient's mailbox: one message, addressed to both.
        List<MimeMessage> received = messagesTo(oncall);
        assertThat(received).hasSize(2);
        MimeMessage mail = received.get(0);
        assertThat(Arrays.stream(mail.getRecipients(Message.RecipientType.TO)).map(Object::toString))
                .containsExactly(oncall, sre);
        assertThat(mail.getSubject()).isEqualTo("[P2] " + service + " production 2.4.0: check error-rate breached");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("rollwatch@rollwatch.test");
        assertThat(mail.getHeader("X-Rollwatch-Event-Id")).containsExactly(breach.id());
        assertThat(text(mail).replace("\r\n", "\n").strip())
                .startsWith("[P2] " + service + " production 2.4.0: check error-rate breached\n"
                        + "Rule: error_rate > 0.01 (failure limit 2, window PT30S)\nMeasured: 0.0187, 0.0342, "
                        + "2 failure(s), at ")
                .contains("\nQuery: rate(errors[30s])\n")
                .endsWith("Deployment: http://127.0.0.1:8081/api/v1/deployments/" + deploymentId
                        + "\nAudit timeline: http://127.0.0.1:8085/api/v1/audit/deployments/" + deploymentId
                        + "/timeline");
    }

    @Test
    void anEmailChannelNeedsMailtoRecipients() {
        given().contentType(ContentType.JSON)
                .body(Map.of("name", unique("mail"), "type", "email", "url", "mailto:nobody"))
                .post("/api/v1/channels").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(AdminApiIT.PROBLEM + "invalid-destination"));
    }
}
