package dev.rollwatch.rollback.messaging;

import dev.rollwatch.events.ThresholdRecovered;
import dev.rollwatch.events.Topics;
import dev.rollwatch.platform.messaging.Consumption;
import dev.rollwatch.platform.messaging.EventConsumer;
import dev.rollwatch.rollback.service.Recoveries;
import io.smallrye.common.annotation.Blocking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Records every recovery once: a redelivered one (same source and id) changes nothing; poison goes to the DLQ. */
@EventConsumer
public class ThresholdRecoveredConsumer {

    private final Consumption consumption;
    private final Recoveries recoveries;

    public ThresholdRecoveredConsumer(Consumption consumption, Recoveries recoveries) {
        this.consumption = consumption;
        this.recoveries = recoveries;
    }

    @Incoming(Topics.THRESHOLD_RECOVERED)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        consumption.once(record, ThresholdRecovered.class, recoveries::recovered);
    }
}
