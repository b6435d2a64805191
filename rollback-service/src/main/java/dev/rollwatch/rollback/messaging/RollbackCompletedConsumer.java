package dev.rollwatch.rollback.messaging;

import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.Topics;
import dev.rollwatch.platform.messaging.Consumption;
import dev.rollwatch.platform.messaging.EventConsumer;
import dev.rollwatch.rollback.service.Escalations;
import io.smallrye.common.annotation.Blocking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Closes the rollback decision on success; escalates it when the rollback FAILED. */
@EventConsumer
public class RollbackCompletedConsumer {

    private final Consumption consumption;
    private final Escalations escalations;

    public RollbackCompletedConsumer(Consumption consumption, Escalations escalations) {
        this.consumption = consumption;
        this.escalations = escalations;
    }

    @Incoming(Topics.ROLLBACK_COMPLETED)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        consumption.once(record, RollbackCompleted.class, escalations::completed);
    }
}
