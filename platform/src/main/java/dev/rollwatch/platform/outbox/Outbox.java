package dev.rollwatch.platform.outbox;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.time.Instant;

/**
 * The only way a service emits an event: the event row is written in the caller's transaction, so the event
 * exists if and only if the state change does. {@link OutboxRelay} publishes it once the transaction commits.
 */
@ApplicationScoped
public class Outbox {

    private final OutboxRepository repository;
    private final Event<OutboxAppended> appended;

    public Outbox(OutboxRepository repository, Event<OutboxAppended> appended) {
        this.repository = repository;
        this.appended = appended;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(Envelope<?> event) {
        OutboxMessage message = new OutboxMessage();
        message.id = event.id();
        message.topic = event.topic();
        message.messageKey = event.key();
        message.eventType = event.type().type();
        message.payload = EventCodec.encode(event);
        message.createdAt = Instant.now();
        repository.persist(message);
        appended.fire(new OutboxAppended(message.id, message.topic, message.messageKey, message.eventType,
                message.payload));
    }
}
