package dev.rollwatch.rollback;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Topics;
import dev.rollwatch.platform.outbox.OutboxMessage;
import dev.rollwatch.platform.outbox.OutboxRepository;
import dev.rollwatch.rollback.messaging.ThresholdBreachedConsumer;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.rollwatch.rollback.Fixtures.WAIT;
import static dev.rollwatch.rollback.Fixtures.actions;
import static dev.rollwatch.rollback.Fixtures.breach;
import static dev.rollwatch.rollback.Fixtures.decisions;
import static dev.rollwatch.rollback.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service that dies neither loses nor repeats a decision. Died before the commit: the decision, its event and the
 * inbox claim vanish together and the breach (whose offset was never committed) is decided when it is delivered
 * again. Died after the commit, before the event was recorded as published: the outbox sweep sends it again with
 * the same event id (consumers' inboxes drop the copy), and the decision itself is not taken twice.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class CrashRecoveryIT {

    private static KafkaTestClient kafka;

    @Inject
    ThresholdBreachedConsumer consumer;

    @Inject
    OutboxRepository outbox;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void aDecisionInterruptedBeforeItsCommitIsTakenOnceWhenTheBreachIsRedelivered() {
        String service = unique("crash-before-commit");
        String id = Fixtures.start(kafka, service, "6.1.0", "6.0.0");
        Envelope<ThresholdBreached> b = breach(id, service, "6.1.0", Severity.P0, "error-rate", Instant.now());

        // The instance consumes the breach and decides, then dies before the transaction commits.
        QuarkusTransaction.begin();
        try {
            consumer.consume(new ConsumerRecord<>(Topics.THRESHOLD_BREACHED, 0, 0L, id, EventCodec.encode(b)));
        } finally {
            QuarkusTransaction.rollback();
        }
        assertThat(decisions(id)).isEmpty();

        // After the restart the broker redelivers the breach (its offset was never committed), twice for good measure.
        kafka.send(b);
        kafka.send(b);

        Envelope<RollbackRequested> rollback = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id,
                RollbackRequested.class, WAIT);
        assertThat(rollback.causationId()).isEqualTo(b.id());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(14)).until(() -> decisions(id).size() == 1);
        assertThat(actions(decisions(id))).containsExactly("ROLLBACK");
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id)).extracting(Envelope::id)
                .containsExactly(rollback.id());
    }

    @Test
    void aDecisionCommittedButNotRecordedAsPublishedIsSentAgainWithTheSameIdAndNotDecidedAgain() {
        String service = unique("crash-after-commit");
        String id = Fixtures.start(kafka, service, "7.1.0", "7.0.0");
        Envelope<ThresholdBreached> b = breach(id, service, "7.1.0", Severity.P0, "error-rate", Instant.now());
        kafka.send(b);
        Envelope<RollbackRequested> rollback = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id,
                RollbackRequested.class, WAIT);
        await().atMost(WAIT).until(() -> published(rollback.id()) != null);

        // The instance died after sending, before marking the row published: the row is unpublished again.
        QuarkusTransaction.requiringNew().run(() -> outbox.findById(rollback.id()).publishedAt = null);
        // And the breach is redelivered after the restart.
        kafka.send(b);

        await().atMost(WAIT).until(() -> {
            OutboxMessage row = QuarkusTransaction.requiringNew().call(() -> outbox.findById(rollback.id()));
            return row.publishedAt != null && row.attempts >= 1;
        });
        List<Envelope<EventData>> sent = await().atMost(WAIT).until(
                () -> kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id), list -> list.size() >= 2);
        assertThat(sent).extracting(Envelope::id).containsOnly(rollback.id());
        assertThat(sent).extracting(e -> EventCodec.encode(e)).allSatisfy(bytes ->
                assertThat(bytes).isEqualTo(EventCodec.encode(rollback)));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(14)).until(() -> decisions(id).size() == 1);
        assertThat(actions(decisions(id))).containsExactly("ROLLBACK");
    }

    private Instant published(String eventId) {
        return QuarkusTransaction.requiringNew().call(() -> outbox.findById(eventId).publishedAt);
    }
}
