package dev.rollwatch.platform.messaging;

import dev.rollwatch.events.DeploymentAborted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.InvalidEventException;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionalException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The consumer mechanism against the real PostgreSQL: an {@link EventConsumer}'s method applies each event once,
 * skips replays, throws for poison (the channel's DLQ), and its inbox claim and effect commit or roll back together;
 * a contract topic's channel is configured from its name ({@link ContractChannels}).
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class ConsumptionIT {

    @Inject
    ConsumptionItConsumer consumer;

    @Inject
    Consumption consumption;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Config config;

    private static Envelope<DeploymentAborted> aborted(String reason) {
        return Envelope.of(Envelope.source("deploy-service"), UUID.randomUUID().toString(),
                new DeploymentAborted("ops", Instant.now(), reason));
    }

    private static ConsumerRecord<String, byte[]> record(Envelope<?> event) {
        return new ConsumerRecord<>(Topics.DEPLOYMENT_COMMANDS, 0, 0, event.key(), EventCodec.encode(event));
    }

    private int claims(String eventId) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM processed_event WHERE consumer = ? AND event_id = ?")) {
            s.setString(1, "platform-it/" + Topics.DEPLOYMENT_COMMANDS);
            s.setString(2, eventId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    @Test
    void anEventIsAppliedOnceAndItsRedeliveryIsADuplicate() throws Exception {
        Envelope<DeploymentAborted> event = aborted("done");

        assertThat(consumer.consume(record(event))).isEqualTo(Consumption.Outcome.APPLIED);
        assertThat(consumer.consume(record(event))).isEqualTo(Consumption.Outcome.DUPLICATE);

        assertThat(consumer.applied()).containsOnlyOnce(event.id());
        assertThat(claims(event.id())).isEqualTo(1);
    }

    @Test
    void aReplayIsSkippedAndClaimsNothing() throws Exception {
        Envelope<DeploymentAborted> event = aborted("done");
        ConsumerRecord<String, byte[]> replay = record(event);
        replay.headers().add(new RecordHeader(Topics.REPLAY_HEADER, "true".getBytes(StandardCharsets.UTF_8)));

        assertThat(consumer.consume(replay)).isEqualTo(Consumption.Outcome.REPLAY);

        assertThat(consumer.applied()).doesNotContain(event.id());
        assertThat(claims(event.id())).isZero();
        assertThat(consumer.consume(record(event))).isEqualTo(Consumption.Outcome.APPLIED);
    }

    @Test
    void aRecordThatIsNotAnEventThrowsForTheDeadLetterQueue() {
        ConsumerRecord<String, byte[]> poison = new ConsumerRecord<>(Topics.DEPLOYMENT_COMMANDS, 3, 42, "k",
                "{not an event".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> consumer.consume(poison)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("record deployment-commands-3@42 is not a Rollwatch event");
    }

    @Test
    void whenTheEffectFailsTheClaimIsRolledBackWithItSoTheRedeliveryAppliesIt() throws Exception {
        Envelope<DeploymentAborted> failing = aborted("fail");

        assertThatThrownBy(() -> consumer.consume(record(failing))).hasMessageContaining("the effect failed");
        assertThat(claims(failing.id())).isZero();

        Envelope<DeploymentAborted> same = new Envelope<>(failing.id(), failing.source(), failing.type(),
                failing.subject(), failing.time(), null, failing.subject(), failing.subject(),
                new DeploymentAborted("ops", Instant.now(), "done"));
        assertThat(consumer.consume(record(same))).isEqualTo(Consumption.Outcome.APPLIED);
        assertThat(claims(failing.id())).isEqualTo(1);
    }

    @Test
    void aTransientFailureRetriesTheWholeTransactionSoTheEffectIsAppliedOnce() throws Exception {
        Envelope<DeploymentAborted> event = aborted("conflict once");

        assertThat(consumer.consume(record(event))).isEqualTo(Consumption.Outcome.APPLIED);

        assertThat(consumer.attempts(event.id())).isEqualTo(2);
        assertThat(consumer.applied()).containsOnlyOnce(event.id());
        assertThat(claims(event.id())).isEqualTo(1);
    }

    @Test
    void outsideATransactionItRefusesToRun() {
        Envelope<DeploymentAborted> event = aborted("done");

        assertThatThrownBy(() -> consumption.once(record(event), DeploymentAborted.class, e -> {
        })).isInstanceOf(TransactionalException.class);
        assertThat(consumer.applied()).doesNotContain(event.id());
    }

    @Test
    void aContractTopicsChannelIsConfiguredFromItsName() {
        assertThat(config.getValue("mp.messaging.incoming.step-completed.topic", String.class))
                .isEqualTo("step-completed");
        assertThat(config.getValue("mp.messaging.incoming.step-completed.dead-letter-queue.topic", String.class))
                .isEqualTo("step-completed.dlq");
        assertThat(config.getOptionalValue("mp.messaging.incoming.not-a-topic.topic", String.class)).isEmpty();
    }
}
