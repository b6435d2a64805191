package dev.rollwatch.platform.it;

import dev.rollwatch.events.ApprovalGranted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.Topics;
import dev.rollwatch.platform.outbox.Outbox;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionalException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The outbox as a service's transaction uses it (the relay's re-sends and parking are OutboxRelayIT's): an event
 * exists on the topic if and only if the transaction that appended it committed, once, as the consumers read it.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class OutboxTransactionIT {

    private static KafkaTestClient kafka;

    @Inject
    Outbox outbox;

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

    private static Envelope<ApprovalGranted> event(String key, String reason) {
        return Envelope.of(Envelope.source("platform-it"), key,
                new ApprovalGranted(3, "approver-" + key, Instant.parse("2026-12-06T01:02:03Z"), reason));
    }

    /** Appends {@code event} in a transaction of its own that commits. */
    private void commit(Envelope<?> event) {
        QuarkusTransaction.requiringNew().run(() -> outbox.publish(event));
    }

    /**
     * The records of {@code key} on the topic up to and including {@code last}'s: everything published before it
     * (the relay keeps the order of a key).
     */
    private static List<ConsumerRecord<String, byte[]>> recordsOfKeyUpTo(String key, String last) {
        return kafka.awaitRecords(Topics.DEPLOYMENT_COMMANDS,
                r -> key.equals(r.key()) && last.equals(EventCodec.decode(r.value()).id()), Duration.ofSeconds(30))
                .stream().filter(r -> key.equals(r.key())).toList();
    }

    private static List<String> ids(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> EventCodec.decode(r.value()).id()).toList();
    }

    /** "published" / "unpublished" for the outbox row of {@code id}, or "none" when there is none. */
    private String row(String id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT published_at FROM outbox_message WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return !r.next() ? "none" : r.getTimestamp(1) == null ? "unpublished" : "published";
            }
        }
    }

    @Test
    void aCommittedEventIsPublishedOnceWithItsKeyAndHeaders() throws Exception {
        String key = "committed-" + UUID.randomUUID();
        Envelope<ApprovalGranted> event = event(key, "looks good");
        commit(event);

        await().atMost(Duration.ofSeconds(30)).until(() -> row(event.id()).equals("published"));
        // Once published, nothing re-sends it: a later event of the key is the next record of the key.
        Envelope<ApprovalGranted> later = event(key, "the next one");
        commit(later);
        List<ConsumerRecord<String, byte[]>> records = recordsOfKeyUpTo(key, later.id());
        assertThat(ids(records)).containsExactly(event.id(), later.id());

        ConsumerRecord<String, byte[]> record = records.get(0);
        assertThat(record.topic()).isEqualTo(event.topic()).isEqualTo(Topics.DEPLOYMENT_COMMANDS);
        assertThat(record.key()).isEqualTo(key);
        assertThat(KafkaTestClient.header(record, "content-type")).isEqualTo(EventCodec.CONTENT_TYPE);
        assertThat(record.value()).as("the canonical bytes of the event").isEqualTo(EventCodec.encode(event));
        Envelope<ApprovalGranted> read = EventCodec.decode(record.value()).as(ApprovalGranted.class);
        assertThat(read.source()).isEqualTo(event.source());
        assertThat(read.data()).isEqualTo(event.data());
    }

    @Test
    void anEventAppendedInATransactionThatRollsBackIsNeverPublished() throws Exception {
        String key = "rolled-back-" + UUID.randomUUID();
        Envelope<ApprovalGranted> rolledBack = event(key, "the state change failed");
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            outbox.publish(rolledBack);
            throw new IllegalStateException("the business change failed after the append");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(row(rolledBack.id())).isEqualTo("none");

        // A committed event of the same key, appended after it, arrives; the rolled-back one never came before it.
        Envelope<ApprovalGranted> committed = event(key, "committed after");
        commit(committed);
        assertThat(ids(recordsOfKeyUpTo(key, committed.id()))).containsExactly(committed.id());
        await().atMost(Duration.ofSeconds(30)).until(() -> row(committed.id()).equals("published"));
        assertThat(row(rolledBack.id())).as("nothing left for a sweep to send").isEqualTo("none");
    }

    @Test
    void appendingOutsideATransactionIsRefusedAndWritesNothing() throws Exception {
        Envelope<ApprovalGranted> event = event("no-tx-" + UUID.randomUUID(), "no transaction");
        assertThatThrownBy(() -> outbox.publish(event)).isInstanceOf(TransactionalException.class);
        assertThat(row(event.id())).isEqualTo("none");
    }
}
