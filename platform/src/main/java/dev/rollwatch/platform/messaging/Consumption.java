package dev.rollwatch.platform.messaging;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventData;
import dev.rollwatch.platform.inbox.Inbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What every event consumer does with a record, in this order: a replay of history is skipped
 * ({@link InboundEvents#isReplay}); the record is decoded as the expected event (a record that is not one throws,
 * and the channel's dead-letter strategy takes it to {@code <topic>.dlq} with the reason); the event is claimed in
 * the {@link Inbox} (a duplicate does nothing); then the effect runs. The claim and the effect share the caller's
 * transaction — an {@link EventConsumer}'s method — so both happen or neither; called without one it fails
 * ({@code MANDATORY}).
 *
 * <p>The inbox's consumer name is {@code <quarkus.application.name>/<topic>} (e.g.
 * {@code rollback-service/step-completed}): one per service and topic, as every consumer named itself before.
 */
@ApplicationScoped
public class Consumption {

    /** What became of a record. */
    public enum Outcome {
        /** Re-published history: nothing done. */
        REPLAY,
        /** Not one this consumer acts on ({@code relevant} said no): nothing claimed. */
        IGNORED,
        /** Claimed before: nothing done. */
        DUPLICATE,
        /** Claimed now and the effect applied. */
        APPLIED
    }

    private static final Logger LOG = Logger.getLogger(Consumption.class);

    private final Inbox inbox;
    private final String service;

    public Consumption(Inbox inbox, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.inbox = inbox;
        this.service = service;
    }

    /** The record's event applied once by {@code effect}, unless it is a replay or a duplicate. */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T extends EventData> Outcome once(ConsumerRecord<String, byte[]> record, Class<T> type,
            Consumer<Envelope<T>> effect) {
        return once(record, type, event -> true, effect);
    }

    /**
     * As {@link #once(ConsumerRecord, Class, Consumer)}, for a consumer that acts on some events of the topic only: an
     * event {@code relevant} refuses is neither claimed nor applied.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T extends EventData> Outcome once(ConsumerRecord<String, byte[]> record, Class<T> type,
            Predicate<? super Envelope<T>> relevant, Consumer<Envelope<T>> effect) {
        if (InboundEvents.isReplay(record)) {
            LOG.debugf("skipped replayed record %s-%d@%d", record.topic(), record.partition(), record.offset());
            return Outcome.REPLAY;
        }
        Envelope<T> event = InboundEvents.decode(record).as(type);
        if (!relevant.test(event)) {
            return Outcome.IGNORED;
        }
        if (!inbox.claim(consumer(record.topic()), event)) {
            LOG.debugf("duplicate %s %s on %s ignored", event.type().type(), event.id(), record.topic());
            return Outcome.DUPLICATE;
        }
        effect.accept(event);
        return Outcome.APPLIED;
    }

    /** The inbox's consumer name for this service's consumer of {@code topic}. */
    public String consumer(String topic) {
        return service + "/" + topic;
    }
}
