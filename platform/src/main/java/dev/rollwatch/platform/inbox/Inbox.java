package dev.rollwatch.platform.inbox;

import dev.rollwatch.events.Envelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;

/**
 * Idempotent consumption. A consumer's first line claims the event; the claim is a row in the same
 * transaction as the effect, so either both happen or neither does, and a redelivery finds the claim and does
 * nothing.
 */
@ApplicationScoped
public class Inbox {

    private final EntityManager em;

    public Inbox(EntityManager em) {
        this.em = em;
    }

    /** True the first time {@code consumer} sees this event (by CloudEvents source and id), false for a duplicate. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean claim(String consumer, Envelope<?> event) {
        return claim(consumer, event.source(), event.id(), event.type().type());
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public boolean claim(String consumer, String source, String eventId, String eventType) {
        int inserted = em.createNativeQuery("""
                INSERT INTO processed_event (consumer, source, event_id, event_type, processed_at)
                VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING""")
                .setParameter(1, consumer)
                .setParameter(2, source)
                .setParameter(3, eventId)
                .setParameter(4, eventType)
                .setParameter(5, Instant.now())
                .executeUpdate();
        return inserted == 1;
    }
}
