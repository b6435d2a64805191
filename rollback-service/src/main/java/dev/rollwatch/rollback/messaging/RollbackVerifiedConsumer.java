package dev.rollwatch.rollback.messaging;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackVerified;
import dev.rollwatch.platform.inbox.Inbox;
import dev.rollwatch.platform.messaging.InboundEvents;
import dev.rollwatch.platform.messaging.RetryTransient;
import dev.rollwatch.rollback.service.Escalations;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Records the monitor's verification of a rollback; an UNVERIFIED one is escalated at P0. */
@ApplicationScoped
public class RollbackVerifiedConsumer {

    static final String CONSUMER = "rollback-service/rollback-verifications";

    private final Inbox inbox;
    private final Escalations escalations;

    public RollbackVerifiedConsumer(Inbox inbox, Escalations escalations) {
        this.inbox = inbox;
        this.escalations = escalations;
    }

    @RetryTransient
    @Incoming("rollback-verifications")
    @Blocking
    @Transactional
    public void consume(ConsumerRecord<String, byte[]> record) {
        if (InboundEvents.isReplay(record)) {
            return;
        }
        Envelope<RollbackVerified> event = InboundEvents.decode(record).as(RollbackVerified.class);
        if (!inbox.claim(CONSUMER, event)) {
            return;
        }
        escalations.verified(event);
    }
}
