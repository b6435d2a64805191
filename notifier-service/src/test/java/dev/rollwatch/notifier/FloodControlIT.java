package dev.rollwatch.notifier;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;
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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rollwatch.notifier.Alerts.WAIT;
import static dev.rollwatch.notifier.Alerts.breach;
import static dev.rollwatch.notifier.HttpChannelsIT.deliveryOn;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Flood control with the test settings (window 4 s; 5 sends at once per channel, then 2 per second): a burst of
 * the same alert is one message whose delivery counts the repeats, the next message after the window says how
 * many were grouped, and a burst of different alerts beyond the rate waits instead of being dropped.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class FloodControlIT {

    static final Duration WINDOW = Duration.ofSeconds(4);

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

    static HttpChannelsIT.Setup webhook() {
        String channel = Alerts.unique("flood");
        String path = "/" + channel;
        String secret = StandardWebhooks.newSecret();
        given().contentType(ContentType.JSON)
                .body(Map.of("name", channel, "type", "webhook", "url", receiver.url(path), "secret", secret))
                .post("/api/v1/channels").then().statusCode(201);
        return new HttpChannelsIT.Setup(channel, HttpChannelsIT.routeTo(channel), path, secret);
    }

    @Test
    void theSameAlertRepeatedWithinTheWindowIsSentOnceAndCounted_theNextAfterTheWindowSaysHowManyWereGrouped() {
        HttpChannelsIT.Setup s = webhook();
        String deploymentId = UUID.randomUUID().toString();
        List<Envelope<ThresholdBreached>> burst = List.of(breach(deploymentId, s.service(), Severity.P2),
                breach(deploymentId, s.service(), Severity.P2), breach(deploymentId, s.service(), Severity.P2));
        burst.forEach(kafka::send);

        JsonPath first = deliveryOn(burst.get(0).id(), s.channel(), 2);
        assertThat(first.getString("status")).isEqualTo("DELIVERED");
        String leaderId = first.getString("id");
        for (Envelope<ThresholdBreached> repeat : burst.subList(1, 3)) {
            JsonPath grouped = deliveryOn(repeat.id(), s.channel(), 2);
            assertThat(grouped.getString("status")).isEqualTo("GROUPED");
            assertThat(grouped.getString("groupedInto")).isEqualTo(leaderId);
            assertThat(grouped.getInt("attempts")).isZero();
        }
        JsonPath leader = deliveryOn(burst.get(0).id(), s.channel(), 2);
        assertThat(leader.getInt("repeats")).isEqualTo(2);
        assertThat(receiver.requests(s.path())).hasSize(1);

        Instant windowEnds = Instant.parse(leader.getString("createdAt")).plus(WINDOW);
        await().atMost(WINDOW.plusSeconds(2)).until(() -> Instant.now().isAfter(windowEnds));
        Envelope<ThresholdBreached> later = breach(deploymentId, s.service(), Severity.P2);
        kafka.send(later);
        JsonPath next = deliveryOn(later.id(), s.channel(), 2);
        assertThat(next.getString("status")).isEqualTo("DELIVERED");
        assertThat(next.getString("message")).contains("Repeats: 2 earlier repeat(s) of this alert were grouped");
        List<Receiver.Request> requests = receiver.requests(s.path());
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).header("webhook-id")).isEqualTo(later.id());
        assertThat(requests.get(1).bodyText()).contains("Repeats: 2 earlier repeat(s)");
    }

    @Test
    void beyondTheChannelsRateDeliveriesWaitAndAreAllDelivered() {
        HttpChannelsIT.Setup s = webhook();
        List<Envelope<ThresholdBreached>> alerts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            alerts.add(breach(UUID.randomUUID().toString(), s.service(), Severity.P3)); // 8 different alerts
        }
        alerts.forEach(kafka::send);

        for (Envelope<ThresholdBreached> alert : alerts) {
            JsonPath delivery = deliveryOn(alert.id(), s.channel(), 2);
            assertThat(delivery.getString("status")).isEqualTo("DELIVERED");
            assertThat(delivery.getInt("attempts")).as("waiting for the rate is not an attempt").isEqualTo(1);
        }
        await().atMost(WAIT).until(() -> receiver.requests(s.path()).size() == 8);
        List<Instant> at = receiver.requests(s.path()).stream().map(Receiver.Request::at).sorted().toList();
        // 5 at once, then 2 per second: the 8th cannot arrive sooner than 1.5 s after the first token was taken.
        assertThat(Duration.between(at.get(0), at.get(7))).isGreaterThan(Duration.ofMillis(1300));
    }
}
