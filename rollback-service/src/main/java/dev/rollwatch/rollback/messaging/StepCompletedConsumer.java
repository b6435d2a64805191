package dev.rollwatch.rollback.messaging;

import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.Topics;
import dev.rollwatch.platform.messaging.Consumption;
import dev.rollwatch.platform.messaging.EventConsumer;
import dev.rollwatch.rollback.service.BreachDecisions;
import io.smallrye.common.annotation.Blocking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Failed smoke steps are decided like P1 breaches; every other step is consumed and ignored. */
@EventConsumer
public class StepCompletedConsumer {

    private final Consumption consumption;
    private final BreachDecisions decisions;

    public StepCompletedConsumer(Consumption consumption, BreachDecisions decisions) {
        this.consumption = consumption;
        this.decisions = decisions;
    }

    @Incoming(Topics.STEP_COMPLETED)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        consumption.once(record, StepCompleted.class, decisions::decideStep);
    }
}
