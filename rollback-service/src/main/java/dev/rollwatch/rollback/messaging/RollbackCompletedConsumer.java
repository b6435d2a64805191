package dev.rollwatch.rollback.messaging;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.platform.inbox.Inbox;
import dev.rollwatch.platform.messaging.InboundEvents;
import dev.rollwatch.platform.messaging.RetryTransient;
import dev.rollwatch.rollback.service.Escalations;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Closes the rollback decision on success; escalates it when the rollback FAILED. */
@ApplicationScoped
public class RollbackCompletedConsumer {

    static final String CONSUMER = "rollback-service/rollback-completed";

    private final Inbox inbox;
    private final Escalations escalations;

    public RollbackCompletedConsumer(Inbox inbox, Escalations escalations) {
        this.inbox = inbox;
        this.escalations = escalations;
    }

    @RetryTransient
    @Incoming("rollback-completed")
    @Blocking
    @Transactional
    public void consume(ConsumerRecord<String, byte[]> record) {
        if (InboundEvents.isReplay(record)) {
            return;
        }
        Envelope<RollbackCompleted> event = InboundEvents.decode(record).as(RollbackCompleted.class);
        if (!inbox.claim(CONSUMER, event)) {
            return;
        }
        escalations.completed(event);
    }
}
