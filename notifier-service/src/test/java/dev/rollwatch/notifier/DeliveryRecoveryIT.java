package dev.rollwatch.notifier;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.NotificationDelivered;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Topics;
import dev.rollwatch.events.webhook.StandardWebhooks;
import dev.rollwatch.notifier.domain.Delivery;
import dev.rollwatch.notifier.domain.DeliveryStatus;
import dev.rollwatch.notifier.domain.SendResult;
import dev.rollwatch.notifier.repository.DeliveryRepository;
import dev.rollwatch.notifier.service.DeliveryStore;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rollwatch.notifier.Alerts.awaitDeliveries;
import static dev.rollwatch.notifier.Alerts.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker that dies mid-attempt (a restart) leaves a leased PENDING delivery behind: it is neither lost (the
 * lease expires and the poll takes it over) nor duplicated (a stale worker's late result is dropped).
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class DeliveryRecoveryIT {

    private static KafkaTestClient kafka;
    private static Receiver receiver;

    @Inject
    DeliveryRepository deliveries;

    @Inject
    DeliveryStore store;

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

    static String webhookChannel(String path) {
        String channel = unique("hook");
        given().contentType(ContentType.JSON).body(Map.of("name", channel, "type", "webhook",
                "url", receiver.url(path), "secret", StandardWebhooks.newSecret()))
                .post("/api/v1/channels").then().statusCode(201);
        return channel;
    }

    /** The row a worker leaves when it leased a delivery and then died: PENDING, one attempt, a lease. */
    UUID leftBehind(String channel, Envelope<ThresholdBreached> event, Instant leaseUntil, UUID leaseToken) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Delivery d = new Delivery();
        d.id = UUID.randomUUID();
        d.eventId = event.id();
        d.eventSource = event.source();
        d.eventType = event.type().type();
        d.correlationId = event.correlationId();
        d.deploymentId = event.subject();
        d.channel = channel;
        d.channelType = "webhook";
        d.routes = "test";
        d.severity = "P2";
        d.service = event.data().service();
        d.environment = "production";
        d.title = "title";
        d.message = "title\nmessage";
        d.deploymentUrl = "http://127.0.0.1:8081/api/v1/deployments/" + event.subject();
        d.timelineUrl = "http://127.0.0.1:8085/api/v1/audit/deployments/" + event.subject() + "/timeline";
        d.eventPayload = new String(EventCodec.encode(event), StandardCharsets.UTF_8);
        d.status = DeliveryStatus.PENDING;
        d.attempts = 1;
        d.nextAttemptAt = now.minusSeconds(2);
        d.leaseUntil = leaseUntil;
        d.leaseToken = leaseToken;
        d.createdAt = now;
        d.updatedAt = now;
        QuarkusTransaction.requiringNew().run(() -> deliveries.persist(d));
        return d.id;
    }

    @Test
    void aDeliveryWhoseWorkerDiedIsTakenOverAfterItsLeaseAndDeliveredExactlyOnce() {
        String path = "/" + unique("recover");
        String channel = webhookChannel(path);
        String deploymentId = UUID.randomUUID().toString();
        Envelope<ThresholdBreached> event = Alerts.breach(deploymentId, unique("svc"), Severity.P2);
        Instant leaseUntil = Instant.now().plusSeconds(2);
        leftBehind(channel, event, leaseUntil, UUID.randomUUID());

        JsonPath history = awaitDeliveries(event.id(), 1);
        assertThat(history.getString("items[0].status")).isEqualTo("DELIVERED");
        // attempts = the dead worker's one + ours; on a slow machine our first may time out and be retried.
        int attempts = history.getInt("items[0].attempts");
        assertThat(attempts).isGreaterThanOrEqualTo(2);
        List<Receiver.Request> requests = receiver.requests(path);
        assertThat(requests).hasSize(attempts - 1);
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.at()).as("not before the dead worker's lease ran out").isAfter(leaseUntil);
            assertThat(r.header("webhook-id")).isEqualTo(event.id());
        });
        List<Envelope<EventData>> outcomes = kafka.eventsAbout(Topics.NOTIFICATION_OUTCOMES, deploymentId);
        assertThat(outcomes).hasSize(1).allMatch(e -> e.data() instanceof NotificationDelivered d
                && d.channel().equals(channel) && e.causationId().equals(event.id()));
    }

    @Test
    void aStaleWorkersLateResultIsDroppedAndTheCurrentHolderDecides() {
        String channel = webhookChannel("/" + unique("stale"));
        Envelope<ThresholdBreached> event = Alerts.breach(UUID.randomUUID().toString(), unique("svc"), Severity.P2);
        UUID holder = UUID.randomUUID();
        UUID id = leftBehind(channel, event, Instant.now().plusSeconds(60), holder);

        DeliveryStore.Claim stale = new DeliveryStore.Claim(id, UUID.randomUUID(), null, null, null);
        assertThat(store.complete(stale, new SendResult.Delivered(200))).isNull();
        Delivery unchanged = QuarkusTransaction.requiringNew().call(() -> deliveries.findById(id));
        assertThat(unchanged.status).isEqualTo(DeliveryStatus.PENDING);
        assertThat(unchanged.leaseToken).isEqualTo(holder);

        DeliveryStore.Claim current = new DeliveryStore.Claim(id, holder, null, null, null);
        assertThat(store.complete(current, new SendResult.Retryable(503, "HTTP 503", Duration.ofSeconds(30))))
                .isEqualTo(Duration.ofSeconds(30));
        Delivery retried = QuarkusTransaction.requiringNew().call(() -> deliveries.findById(id));
        assertThat(retried.status).isEqualTo(DeliveryStatus.PENDING);
        assertThat(retried.leaseToken).isNull();
        assertThat(retried.lastStatusCode).isEqualTo(503);
        assertThat(retried.nextAttemptAt).isAfter(Instant.now().plusSeconds(20));
    }
}
