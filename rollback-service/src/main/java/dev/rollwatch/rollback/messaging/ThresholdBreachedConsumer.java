package dev.rollwatch.rollback.messaging;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.platform.inbox.Inbox;
import dev.rollwatch.platform.messaging.InboundEvents;
import dev.rollwatch.platform.messaging.RetryTransient;
import dev.rollwatch.rollback.service.BreachDecisions;
import dev.rollwatch.rollback.service.DecisionMetrics;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Decides every breach once: a redelivered breach (same source and id) changes nothing; poison goes to the DLQ. */
@ApplicationScoped
public class ThresholdBreachedConsumer {

    static final String CONSUMER = "rollback-service/threshold-breached";

    private final Inbox inbox;
    private final BreachDecisions decisions;
    private final DecisionMetrics metrics;

    public ThresholdBreachedConsumer(Inbox inbox, BreachDecisions decisions, DecisionMetrics metrics) {
        this.inbox = inbox;
        this.decisions = decisions;
        this.metrics = metrics;
    }

    @RetryTransient
    @Incoming("threshold-breached")
    @Blocking
    @Transactional
    public void consume(ConsumerRecord<String, byte[]> record) {
        long consumed = System.nanoTime();
        if (InboundEvents.isReplay(record)) {
            return;
        }
        Envelope<ThresholdBreached> event = InboundEvents.decode(record).as(ThresholdBreached.class);
        if (!inbox.claim(CONSUMER, event)) {
            return;
        }
        metrics.whenCommitted(decisions.decide(event), consumed);
    }
}
