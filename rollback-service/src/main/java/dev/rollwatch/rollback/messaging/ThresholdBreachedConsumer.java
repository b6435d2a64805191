package dev.rollwatch.rollback.messaging;

import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Topics;
import dev.rollwatch.platform.messaging.Consumption;
import dev.rollwatch.platform.messaging.EventConsumer;
import dev.rollwatch.rollback.service.BreachDecisions;
import dev.rollwatch.rollback.service.DecisionMetrics;
import io.smallrye.common.annotation.Blocking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Decides every breach once: a redelivered breach (same source and id) changes nothing; poison goes to the DLQ. */
@EventConsumer
public class ThresholdBreachedConsumer {

    private final Consumption consumption;
    private final BreachDecisions decisions;
    private final DecisionMetrics metrics;

    public ThresholdBreachedConsumer(Consumption consumption, BreachDecisions decisions, DecisionMetrics metrics) {
        this.consumption = consumption;
        this.decisions = decisions;
        this.metrics = metrics;
    }

    @Incoming(Topics.THRESHOLD_BREACHED)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        long consumed = System.nanoTime();
        consumption.once(record, ThresholdBreached.class,
                event -> metrics.whenCommitted(decisions.decide(event), consumed));
    }
}
