package dev.rollwatch.rollback.messaging;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.platform.inbox.Inbox;
import dev.rollwatch.platform.messaging.InboundEvents;
import dev.rollwatch.platform.messaging.RetryTransient;
import dev.rollwatch.rollback.service.BreachDecisions;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Failed smoke steps are decided like P1 breaches; every other step is consumed and ignored. */
@ApplicationScoped
public class StepCompletedConsumer {

    static final String CONSUMER = "rollback-service/step-completed";

    private final Inbox inbox;
    private final BreachDecisions decisions;

    public StepCompletedConsumer(Inbox inbox, BreachDecisions decisions) {
        this.inbox = inbox;
        this.decisions = decisions;
    }

    @RetryTransient
    @Incoming("step-completed")
    @Blocking
    @Transactional
    public void consume(ConsumerRecord<String, byte[]> record) {
        if (InboundEvents.isReplay(record)) {
            return;
        }
        Envelope<StepCompleted> event = InboundEvents.decode(record).as(StepCompleted.class);
        if (!inbox.claim(CONSUMER, event)) {
            return;
        }
        decisions.decideStep(event);
    }
}
