package dev.rollwatch.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.NotificationDelivered;
import dev.rollwatch.events.NotificationFailed;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Topics;
import dev.rollwatch.events.webhook.StandardWebhooks;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rollwatch.notifier.Alerts.awaitDeliveries;
import static dev.rollwatch.notifier.Alerts.awaitOutcome;
import static dev.rollwatch.notifier.Alerts.breach;
import static dev.rollwatch.notifier.Alerts.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

/** Real outbound channels against a real HTTP receiver: signatures, retries, 429, 410, redirects, timeouts. */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class HttpChannelsIT {

    private static KafkaTestClient kafka;
    private static Receiver receiver;

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

    /** A webhook channel at {@code path} and a route sending the given service's breaches to it. */
    record Setup(String channel, String service, String path, String secret) {
    }

    static Setup webhook() {
        String channel = unique("hook");
        String path = "/" + channel;
        String secret = StandardWebhooks.newSecret();
        given().contentType(ContentType.JSON)
                .body(Map.of("name", channel, "type", "webhook", "url", receiver.url(path), "secret", secret))
                .post("/api/v1/channels").then().statusCode(201);
        String service = routeTo(channel);
        return new Setup(channel, service, path, secret);
    }

    static String routeTo(String channel) {
        String service = unique("svc");
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "to-" + channel, "eventType", "threshold-breached", "service", service,
                        "channels", List.of(channel)))
                .post("/api/v1/routes").then().statusCode(201);
        return service;
    }

    static JsonPath deliveryOn(String eventId, String channel, int expectedDeliveries) {
        JsonPath history = awaitDeliveries(eventId, expectedDeliveries);
        int index = history.getList("items.channel", String.class).indexOf(channel);
        assertThat(index).as("a delivery on " + channel).isNotNegative();
        return new JsonPath(history.prettify()).setRootPath("items[" + index + "]");
    }

    /** Standard Webhooks verification written here from the spec, independent of the production class. */
    static void assertSignedPerStandardWebhooks(Receiver.Request request, String secret) throws Exception {
        String id = request.header("webhook-id");
        String timestamp = request.header("webhook-timestamp");
        assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp))).isLessThan(300);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        byte[] signed = mac.doFinal((id + "." + timestamp + "." + request.bodyText()).getBytes(StandardCharsets.UTF_8));
        assertThat(request.header("webhook-signature").split(" "))
                .contains("v1," + Base64.getEncoder().encodeToString(signed));
    }

    @Test
    void aWebhookGetsTheAlertSignedPerStandardWebhooksWithTheEventIdAsWebhookId() throws Exception {
        Setup s = webhook();
        String deploymentId = UUID.randomUUID().toString();
        Envelope<ThresholdBreached> breach = breach(deploymentId, s.service(), Severity.P3);
        kafka.send(breach);

        Envelope<NotificationDelivered> outcome = awaitOutcome(kafka, deploymentId, s.channel(),
                NotificationDelivered.class);
        assertThat(outcome.causationId()).isEqualTo(breach.id());
        assertThat(outcome.data().channelType()).isEqualTo("webhook");
        assertThat(outcome.data().attempts()).isEqualTo(1);

        List<Receiver.Request> requests = receiver.requests(s.path());
        assertThat(requests).hasSize(1);
        Receiver.Request request = requests.get(0);
        assertThat(request.header("webhook-id")).isEqualTo(breach.id());
        assertThat(request.header("content-type")).isEqualTo("application/json");
        assertSignedPerStandardWebhooks(request, s.secret());
        new StandardWebhooks(s.secret()).verify(request.header("webhook-id"), request.header("webhook-timestamp"),
                request.header("webhook-signature"), request.body(), Instant.now(), Duration.ofMinutes(5));

        JsonNode body = new ObjectMapper().readTree(request.body());
        assertThat(body.get("eventId").asText()).isEqualTo(breach.id());
        assertThat(body.get("deploymentId").asText()).isEqualTo(deploymentId);
        assertThat(body.get("severity").asText()).isEqualTo("P3");
        assertThat(body.get("title").asText()).isEqualTo("[P3] " + s.service() + " production 2.4.0: check "
                + "error-rate breached");
        assertThat(body.at("/links/deployment").asText())
                .isEqualTo("http://127.0.0.1:8081/api/v1/deployments/" + deploymentId);
        assertThat(body.at("/links/timeline").asText())
                .isEqualTo("http://127.0.0.1:8085/api/v1/audit/deployments/" + deploymentId + "/timeline");
        assertThat(body.at("/event/id").asText()).isEqualTo(breach.id());
        assertThat(body.at("/event/data/observed/1").asDouble()).isEqualTo(0.0342);
    }

    @Test
    void theSecretIsNeverEchoedBack() {
        Setup s = webhook();
        String view = given().get("/api/v1/channels/" + s.channel()).then().statusCode(200)
                .body("hasSecret", equalTo(true)).body("url", equalTo(receiver.url(s.path())))
                .extract().asString();
        String list = given().get("/api/v1/channels").then().statusCode(200).extract().asString();
        String secretBody = s.secret().substring("whsec_".length());
        assertThat(view).doesNotContain(secretBody).doesNotContain("\"secret\"");
        assertThat(list).doesNotContain(secretBody);
    }

    @Test
    void aReceiverAnswering500TwiceThen200GetsExactlyOneSuccessfulDeliveryAfterRetries() {
        Setup s = webhook();
        receiver.script(s.path(), Receiver.Answer.status(500), Receiver.Answer.status(503));
        String deploymentId = UUID.randomUUID().toString();
        Envelope<ThresholdBreached> breach = breach(deploymentId, s.service(), Severity.P3);
        kafka.send(breach);

        Envelope<NotificationDelivered> outcome = awaitOutcome(kafka, deploymentId, s.channel(),
                NotificationDelivered.class);
        assertThat(outcome.data().attempts()).isEqualTo(3);
        JsonPath delivery = deliveryOn(breach.id(), s.channel(), 2);
        assertThat(delivery.getString("status")).isEqualTo("DELIVERED");
        assertThat(delivery.getInt("attempts")).isEqualTo(3);
        List<Receiver.Request> requests = receiver.requests(s.path());
        assertThat(requests).hasSize(3).extracting(r -> r.header("webhook-id")).containsOnly(breach.id());
        assertThat(kafka.eventsAbout(Topics.NOTIFICATION_OUTCOMES, deploymentId))
                .filteredOn(e -> s.channel().equals(Alerts.channelOf(e.data()))).hasSize(1);
    }

    @Test
    void aTooManyRequestsAnswerIsRetriedNoSoonerThanItsRetryAfter() {
        Setup s = webhook();
        receiver.script(s.path(), new Receiver.Answer(429, Map.of("Retry-After", "1"), "slow down", Duration.ZERO));
        Envelope<ThresholdBreached> breach = breach(UUID.randomUUID().toString(), s.service(), Severity.P3);
        kafka.send(breach);

        assertThat(deliveryOn(breach.id(), s.channel(), 2).getInt("attempts")).isEqualTo(2);
        List<Receiver.Request> requests = receiver.requests(s.path());
        assertThat(requests).hasSize(2);
        // The configured backoff is 100-400 ms: only Retry-After explains a wait of a second.
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at())).isGreaterThan(Duration.ofMillis(950));
    }

    @Test
    void goneDisablesTheChannelSaysSoAndLaterAlertsFallBackToTheLog() {
        Setup s = webhook();
        receiver.script(s.path(), Receiver.Answer.status(410));
        String deploymentId = UUID.randomUUID().toString();
        Envelope<ThresholdBreached> breach = breach(deploymentId, s.service(), Severity.P3);
        kafka.send(breach);

        Envelope<NotificationFailed> failed = awaitOutcome(kafka, deploymentId, s.channel(), NotificationFailed.class);
        assertThat(failed.data().status()).isEqualTo("CHANNEL_GONE");
        assertThat(failed.data().attempts()).isEqualTo(1);
        assertThat(failed.causationId()).isEqualTo(breach.id());
        given().get("/api/v1/channels/" + s.channel()).then().statusCode(200)
                .body("enabled", equalTo(false)).body("disabledReason", containsString("410 Gone"));

        Envelope<ThresholdBreached> next = breach(deploymentId, s.service(), Severity.P3);
        kafka.send(next);
        JsonPath history = awaitDeliveries(next.id(), 1);
        assertThat(history.getString("items[0].channel")).isEqualTo("log");
        assertThat(history.getList("items[0].fallbackFor", String.class)).contains(s.channel(), "slack");
        assertThat(receiver.requests(s.path())).hasSize(1);

        given().contentType(ContentType.JSON).body(Map.of("enabled", true)).put("/api/v1/channels/" + s.channel())
                .then().statusCode(200).body("enabled", equalTo(true));
    }

    @Test
    void aClientErrorIsFinalAfterOneAttemptAndTheReceiversBodyIsNeverShown() {
        Setup s = webhook();
        receiver.script(s.path(), Receiver.Answer.status(400));
        String deploymentId = UUID.randomUUID().toString();
        Envelope<ThresholdBreached> breach = breach(deploymentId, s.service(), Severity.P3);
        kafka.send(breach);

        Envelope<NotificationFailed> failed = awaitOutcome(kafka, deploymentId, s.channel(), NotificationFailed.class);
        assertThat(failed.data().status()).isEqualTo("REJECTED");
        assertThat(failed.data().error()).isEqualTo("HTTP 400");
        JsonPath delivery = deliveryOn(breach.id(), s.channel(), 2);
        assertThat(delivery.getString("status")).isEqualTo("FAILED");
        assertThat(delivery.getInt("lastStatusCode")).isEqualTo(400);
        assertThat(receiver.requests(s.path())).hasSize(1);
        given().queryParam("eventId", breach.id()).get("/api/v1/deliveries").then()
                .body(not(containsString("receiver internal detail")));
    }

    @Test
    void redirectsAreNotFollowed() {
        Setup s = webhook();
        String elsewhere = s.path() + "-elsewhere";
        receiver.script(s.path(), new Receiver.Answer(302, Map.of("Location", receiver.url(elsewhere)), "",
                Duration.ZERO));
        Envelope<ThresholdBreached> breach = breach(UUID.randomUUID().toString(), s.service(), Severity.P3);
        kafka.send(breach);

        JsonPath delivery = deliveryOn(breach.id(), s.channel(), 2);
        assertThat(delivery.getString("status")).isEqualTo("FAILED");
        assertThat(delivery.getString("lastError")).contains("redirect not followed");
        assertThat(receiver.requests(elsewhere)).isEmpty();
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeIsRetried() {
        Setup s = webhook();
        receiver.script(s.path(), new Receiver.Answer(200, Map.of(), "late", Duration.ofMillis(4000)));
        Envelope<ThresholdBreached> breach = breach(UUID.randomUUID().toString(), s.service(), Severity.P3);
        kafka.send(breach);

        JsonPath delivery = deliveryOn(breach.id(), s.channel(), 2);
        assertThat(delivery.getString("status")).isEqualTo("DELIVERED");
        assertThat(delivery.getInt("attempts")).isEqualTo(2);
        assertThat(delivery.getString("lastError")).isNull();
    }

    @Test
    void aReceiverThatKeepsFailingIsGivenUpAfterTheLastAttempt() {
        Setup s = webhook();
        receiver.script(s.path(), Receiver.Answer.status(500), Receiver.Answer.status(500),
                Receiver.Answer.status(502), Receiver.Answer.status(503));
        String deploymentId = UUID.randomUUID().toString();
        Envelope<ThresholdBreached> breach = breach(deploymentId, s.service(), Severity.P3);
        kafka.send(breach);

        Envelope<NotificationFailed> failed = awaitOutcome(kafka, deploymentId, s.channel(), NotificationFailed.class);
        assertThat(failed.data().status()).isEqualTo("EXHAUSTED");
        assertThat(failed.data().attempts()).isEqualTo(4);
        assertThat(failed.data().error()).isEqualTo("HTTP 503");
        assertThat(receiver.requests(s.path())).hasSize(4);
    }

    @Test
    void slackGetsBlocksWithATextFallbackAndItsUrlIsNeverShownInFull() throws Exception {
        String channel = unique("chat");
        String path = "/services/T000/B000/" + channel;
        given().contentType(ContentType.JSON)
                .body(Map.of("name", channel, "type", "slack", "url", receiver.url(path)))
                .post("/api/v1/channels").then().statusCode(201)
                .body("url", equalTo(receiver.url("/…"))).body("hasSecret", equalTo(false));
        String service = routeTo(channel);
        String deploymentId = UUID.randomUUID().toString();
        Envelope<ThresholdBreached> breach = breach(deploymentId, service, Severity.P3);
        kafka.send(breach);

        awaitOutcome(kafka, deploymentId, channel, NotificationDelivered.class);
        List<Receiver.Request> requests = receiver.requests(path);
        assertThat(requests).hasSize(1);
        JsonNode body = new ObjectMapper().readTree(requests.get(0).body());
        assertThat(body.get("text").asText()).startsWith("[P3] " + service + " production 2.4.0")
                .contains("/api/v1/deployments/" + deploymentId);
        assertThat(body.at("/blocks/0/type").asText()).isEqualTo("header");
        assertThat(body.at("/blocks/1/text/text").asText()).contains("Rule: error_rate &gt; 0.01");
        assertThat(body.at("/blocks/2/elements/0/text").asText())
                .contains("<http://127.0.0.1:8081/api/v1/deployments/" + deploymentId + "|Deployment>");
        assertThat(requests.get(0).header("webhook-id")).isNull();
    }
}
