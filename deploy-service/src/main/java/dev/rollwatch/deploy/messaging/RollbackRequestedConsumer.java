package dev.rollwatch.deploy.messaging;

import dev.rollwatch.deploy.service.RollbackExecutor;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.platform.inbox.Inbox;
import dev.rollwatch.platform.messaging.InboundEvents;
import dev.rollwatch.platform.messaging.RetryTransient;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Executes each RollbackRequested once; replays and duplicates do nothing; poison goes to the DLQ. */
@ApplicationScoped
public class RollbackRequestedConsumer {

    static final String CONSUMER = "deploy-service/rollback-requested";

    private final Inbox inbox;
    private final RollbackExecutor executor;

    public RollbackRequestedConsumer(Inbox inbox, RollbackExecutor executor) {
        this.inbox = inbox;
        this.executor = executor;
    }

    @RetryTransient
    @Incoming("rollback-requested")
    @Blocking
    @Transactional
    public void consume(ConsumerRecord<String, byte[]> record) {
        if (InboundEvents.isReplay(record)) {
            return;
        }
        Envelope<RollbackRequested> event = InboundEvents.decode(record).as(RollbackRequested.class);
        if (!inbox.claim(CONSUMER, event)) {
            return;
        }
        executor.begin(event);
    }
}
