package dev.rollwatch.rollback.messaging;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.platform.inbox.Inbox;
import dev.rollwatch.platform.messaging.InboundEvents;
import dev.rollwatch.platform.messaging.RetryTransient;
import dev.rollwatch.rollback.service.DeploymentTracker;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Tracks each started deployment once: its version and the version it replaces (a rollback target). */
@ApplicationScoped
public class DeploymentStartedConsumer {

    static final String CONSUMER = "rollback-service/deployment-started";

    private final Inbox inbox;
    private final DeploymentTracker tracker;

    public DeploymentStartedConsumer(Inbox inbox, DeploymentTracker tracker) {
        this.inbox = inbox;
        this.tracker = tracker;
    }

    @RetryTransient
    @Incoming("deployment-started")
    @Blocking
    @Transactional
    public void consume(ConsumerRecord<String, byte[]> record) {
        if (InboundEvents.isReplay(record)) {
            return;
        }
        Envelope<DeploymentStarted> event = InboundEvents.decode(record).as(DeploymentStarted.class);
        if (!inbox.claim(CONSUMER, event)) {
            return;
        }
        tracker.started(event);
    }
}
