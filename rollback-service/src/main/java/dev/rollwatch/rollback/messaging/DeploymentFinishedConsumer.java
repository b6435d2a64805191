package dev.rollwatch.rollback.messaging;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.platform.inbox.Inbox;
import dev.rollwatch.platform.messaging.InboundEvents;
import dev.rollwatch.platform.messaging.RetryTransient;
import dev.rollwatch.rollback.service.DeploymentTracker;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Closes finished deployments and records SUCCEEDED versions as last known good. */
@ApplicationScoped
public class DeploymentFinishedConsumer {

    static final String CONSUMER = "rollback-service/deployment-finished";

    private final Inbox inbox;
    private final DeploymentTracker tracker;

    public DeploymentFinishedConsumer(Inbox inbox, DeploymentTracker tracker) {
        this.inbox = inbox;
        this.tracker = tracker;
    }

    @RetryTransient
    @Incoming("deployment-finished")
    @Blocking
    @Transactional
    public void consume(ConsumerRecord<String, byte[]> record) {
        if (InboundEvents.isReplay(record)) {
            return;
        }
        Envelope<DeploymentFinished> event = InboundEvents.decode(record).as(DeploymentFinished.class);
        if (!inbox.claim(CONSUMER, event)) {
            return;
        }
        tracker.finished(event);
    }
}
