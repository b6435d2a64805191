package dev.rollwatch.notifier;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.NotificationDelivered;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.webhook.StandardWebhooks;
import dev.rollwatch.notifier.service.ChannelSecretSealer;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rollwatch.notifier.Alerts.awaitOutcome;
import static dev.rollwatch.notifier.Alerts.breach;
import static dev.rollwatch.notifier.Alerts.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Channel secrets (issue 17, item 6; review L8, M6): sealed at rest, rows written before sealing sealed at
 * start-up and still delivered, and a channel's url cannot be moved without its secret.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class ChannelSecretsIT {

    private static final String PROBLEM = "https://rollwatch.dev/problems/";
    private static final String ROUTING_KEY = "R0UT1NGKEY0123456789abcdefABCDEF";

    private static KafkaTestClient kafka;
    private static Receiver receiver;

    @Inject
    DataSource db;

    @Inject
    ChannelSecretSealer sealer;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaTestClient.forTestBroker();
        receiver = new Receiver();
    }

    @AfterAll
    static void stop() {
        kafka.close();
        receiver.close();
    }

    private String storedSecret(String channel) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT secret FROM channel WHERE name = ?")) {
            s.setString(1, channel);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).as("channel row " + channel).isTrue();
                return r.getString(1);
            }
        }
    }

    private static String route(String channel) {
        String service = unique("svc");
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "to-" + channel, "eventType", "threshold-breached", "service", service,
                        "channels", List.of(channel)))
                .post("/api/v1/routes").then().statusCode(201);
        return service;
    }

    private static Receiver.Request deliveredTo(String channel, String service, String path) {
        String deploymentId = UUID.randomUUID().toString();
        Envelope<ThresholdBreached> alert = breach(deploymentId, service, Severity.P3);
        int before = receiver.requests(path).size();
        kafka.send(alert);
        awaitOutcome(kafka, deploymentId, channel, NotificationDelivered.class);
        List<Receiver.Request> requests = receiver.requests(path);
        assertThat(requests).hasSize(before + 1);
        return requests.get(requests.size() - 1);
    }

    @Test
    void aChannelSecretIsStoredSealedAndStillSigns() throws Exception {
        String channel = unique("sealed");
        String path = "/" + channel;
        String secret = StandardWebhooks.newSecret();
        given().contentType(ContentType.JSON)
                .body(Map.of("name", channel, "type", "webhook", "url", receiver.url(path), "secret", secret))
                .post("/api/v1/channels").then().statusCode(201).body("hasSecret", equalTo(true));

        String stored = storedSecret(channel);
        assertThat(stored).startsWith("rwsec:v1:").doesNotContain(secret)
                .doesNotContain(secret.substring("whsec_".length()));

        Receiver.Request request = deliveredTo(channel, route(channel), path);
        HttpChannelsIT.assertSignedPerStandardWebhooks(request, secret);
    }

    @Test
    void aPlaintextSecretFromBeforeSealingStillDeliversAndIsSealedOnceAtStartUp() throws Exception {
        String channel = unique("legacy");
        String path = "/" + channel;
        String secret = StandardWebhooks.newSecret();
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO channel (name, type, url, secret, enabled, builtin,"
                     + " created_at, updated_at) VALUES (?, 'webhook', ?, ?, true, false, now(), now())")) {
            s.setString(1, channel);
            s.setString(2, receiver.url(path));
            s.setString(3, secret);
            s.executeUpdate();
        }
        String service = route(channel);
        HttpChannelsIT.assertSignedPerStandardWebhooks(deliveredTo(channel, service, path), secret);

        assertThat(sealer.sealAll()).isPositive(); // what start-up does
        String sealed = storedSecret(channel);
        assertThat(sealed).startsWith("rwsec:v1:").doesNotContain(secret.substring("whsec_".length()));
        sealer.sealAll();
        assertThat(storedSecret(channel)).as("sealing again changes nothing").isEqualTo(sealed);

        HttpChannelsIT.assertSignedPerStandardWebhooks(deliveredTo(channel, service, path), secret);
    }

    @Test
    void aNewSecretOnUpdateIsSealedToo() throws Exception {
        String channel = unique("rekey");
        given().contentType(ContentType.JSON).body(Map.of("name", channel, "type", "pagerduty",
                "url", receiver.url("/pd"), "secret", ROUTING_KEY)).post("/api/v1/channels").then().statusCode(201);
        String other = "0THERKEY0123456789abcdefABCDEF00";
        given().contentType(ContentType.JSON).body(Map.of("secret", other)).put("/api/v1/channels/" + channel)
                .then().statusCode(200);
        assertThat(storedSecret(channel)).startsWith("rwsec:v1:").doesNotContain(other);
    }

    @Test
    void movingAPagerDutyChannelWithoutItsRoutingKeyIsRefusedAndChangesNothing() throws Exception {
        String channel = unique("pd");
        given().contentType(ContentType.JSON).body(Map.of("name", channel, "type", "pagerduty",
                "url", receiver.url("/pd/" + channel), "secret", ROUTING_KEY))
                .post("/api/v1/channels").then().statusCode(201);
        String stored = storedSecret(channel);
        String before = given().get("/api/v1/channels/" + channel).then().extract().path("updatedAt");

        given().contentType(ContentType.JSON).body(Map.of("url", receiver.url("/attacker/" + channel)))
                .put("/api/v1/channels/" + channel)
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "secret-required"));

        given().get("/api/v1/channels/" + channel).then().statusCode(200)
                .body("url", equalTo(receiver.url("/pd/" + channel)))
                .body("updatedAt", equalTo(before));
        assertThat(storedSecret(channel)).isEqualTo(stored);

        // with the key re-entered it moves; the same url again (or enabling) needs no key
        given().contentType(ContentType.JSON).body(Map.of("url", receiver.url("/pd2/" + channel),
                "secret", ROUTING_KEY)).put("/api/v1/channels/" + channel).then().statusCode(200)
                .body("url", equalTo(receiver.url("/pd2/" + channel)));
        given().contentType(ContentType.JSON).body(Map.of("url", receiver.url("/pd2/" + channel), "enabled", true))
                .put("/api/v1/channels/" + channel).then().statusCode(200);
    }

    @Test
    void movingAWebhookWithoutItsSecretIsRefused() {
        String channel = unique("wh");
        given().contentType(ContentType.JSON).body(Map.of("name", channel, "type", "webhook",
                "url", receiver.url("/wh/" + channel), "secret", StandardWebhooks.newSecret()))
                .post("/api/v1/channels").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("url", receiver.url("/elsewhere")))
                .put("/api/v1/channels/" + channel)
                .then().statusCode(400).body("type", equalTo(PROBLEM + "secret-required"));
        given().get("/api/v1/channels/" + channel).then().body("url", equalTo(receiver.url("/wh/" + channel)));
    }
}
