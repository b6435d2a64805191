package dev.rollwatch.platform.it;

import dev.rollwatch.events.ApprovalGranted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.LogCapture;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox relay against a real broker and database: a re-send after a failure keeps the order of its key, and an
 * event the broker will never take is parked with one ERROR instead of being re-sent forever.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class OutboxRelayIT {

    private static KafkaTestClient kafka;

    @Inject
    AgroalDataSource dataSource;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private static String publish(String key, String reason) {
        return given().contentType("text/plain").body(reason).post("/it/events/" + key).then().statusCode(200)
                .extract().asString();
    }

    static double meter(String name) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** The ids of the events about {@code key} in the order the topic holds them, each once (re-sends dropped). */
    private static List<String> idsInTopicOrder(String key, int expected) {
        List<String> seen = new ArrayList<>();
        kafka.awaitRecords(Topics.DEPLOYMENT_COMMANDS, r -> {
            if (key.equals(r.key())) {
                seen.add(EventCodec.decode(r.value()).id());
            }
            return new LinkedHashSet<>(seen).size() >= expected;
        }, Duration.ofSeconds(30));
        return List.copyOf(new LinkedHashSet<>(seen));
    }

    @Test
    void aFailedSendIsReSentBeforeTheNewerEventsOfItsKey() {
        String key = "order-" + UUID.randomUUID();
        String marker = "fail-once-" + UUID.randomUUID();
        double failuresBefore = meter("rollwatch_outbox_publish_failures_total");
        FlakySerializer.failOnce(marker);

        String first = publish(key, "first " + marker);
        // The producer refused it: the relay has been told before the next events of the key commit.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> meter("rollwatch_outbox_publish_failures_total") > failuresBefore);
        String second = publish(key, "second");
        String third = publish(key, "third");

        // Consumers of the key see the events in the order they were written, the re-sent one first.
        assertThat(idsInTopicOrder(key, 3)).containsExactly(first, second, third);
        // And the key is released once its backlog is gone: a new event goes straight out again.
        await().atMost(Duration.ofSeconds(10)).until(() -> unpublished(key) == 0);
        String fourth = publish(key, "fourth");
        assertThat(idsInTopicOrder(key, 4)).containsExactly(first, second, third, fourth);
    }

    @Test
    void rowsACrashLeftUnpublishedAreSentByTheSweepInTheOrderTheyWereWritten() throws Exception {
        String key = "crash-left-" + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        // Three committed rows whose hand-off never happened (the process died after the commit), written in order.
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO outbox_message (id, topic, message_key, event_type, payload, created_at, attempts)"
                        + " VALUES (?, ?, ?, ?, ?, now() - interval '1 minute', 0)")) {
            for (int i = 0; i < 3; i++) {
                Envelope<ApprovalGranted> event = Envelope.of(Envelope.source("platform-it"), key,
                        new ApprovalGranted(i, "platform-it", Instant.now(), "left by a crash " + i));
                s.setString(1, event.id());
                s.setString(2, event.topic());
                s.setString(3, key);
                s.setString(4, event.type().type());
                s.setBytes(5, EventCodec.encode(event));
                s.executeUpdate();
                ids.add(event.id());
            }
        }
        assertThat(idsInTopicOrder(key, 3)).containsExactlyElementsOf(ids);
        await().atMost(Duration.ofSeconds(10)).until(() -> unpublished(key) == 0);
    }

    @Test
    void anEventOverTheBrokersSizeLimitIsParkedWithOneErrorAndItsKeyCarriesOn() throws Exception {
        String key = "too-large-" + UUID.randomUUID();
        String secretish = "payload-" + UUID.randomUUID();
        String reason = secretish + "x".repeat(100_000); // over the producer's max.request.size of 64 KiB
        double parkedBefore = meter("rollwatch_outbox_parked_total");
        LogCapture log = LogCapture.start();
        try {
            String tooLarge = publish(key, reason);

            await().atMost(Duration.ofSeconds(20)).until(() -> meter("rollwatch_outbox_parked_total") > parkedBefore);
            assertThat(parkReason(tooLarge)).as("park_reason").contains("RecordTooLargeException")
                    .doesNotContain(secretish);
            assertThat(unpublished(key)).as("left in the outbox to be re-sent").isZero();

            // The key's next event is not held up by the parked one.
            String next = publish(key, "after the parked one");
            assertThat(idsInTopicOrder(key, 1)).containsExactly(next);

            // Not re-sent: several sweeps later, still one park, one ERROR naming the event, no payload in the log.
            Thread.sleep(3_000);
            assertThat(meter("rollwatch_outbox_parked_total")).isEqualTo(parkedBefore + 1);
            List<String> errors = log.lines().stream().filter(l -> l.contains(tooLarge)).toList();
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0)).contains("dev.rollwatch.approval.granted.v1", "parked");
            assertThat(log.lines()).noneMatch(l -> l.contains(secretish));
        } finally {
            log.stop();
        }
    }

    private long unpublished(String key) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM outbox_message WHERE message_key = ? AND published_at IS NULL")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The row's park reason when it is parked (parked_at set), else null. */
    private String parkReason(String id) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT park_reason FROM outbox_message WHERE id = ? AND parked_at IS NOT NULL")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
