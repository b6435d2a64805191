package dev.rollwatch.rollback.messaging;

import dev.rollwatch.events.RollbackVerified;
import dev.rollwatch.events.Topics;
import dev.rollwatch.platform.messaging.Consumption;
import dev.rollwatch.platform.messaging.EventConsumer;
import dev.rollwatch.rollback.service.Escalations;
import io.smallrye.common.annotation.Blocking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Records the monitor's verification of a rollback; an UNVERIFIED one is escalated at P0. */
@EventConsumer
public class RollbackVerifiedConsumer {

    private final Consumption consumption;
    private final Escalations escalations;

    public RollbackVerifiedConsumer(Consumption consumption, Escalations escalations) {
        this.consumption = consumption;
        this.escalations = escalations;
    }

    @Incoming(Topics.ROLLBACK_VERIFICATIONS)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        consumption.once(record, RollbackVerified.class, escalations::verified);
    }
}
