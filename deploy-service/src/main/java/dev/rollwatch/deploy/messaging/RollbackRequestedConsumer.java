package dev.rollwatch.deploy.messaging;

import dev.rollwatch.deploy.service.RollbackExecutor;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.Topics;
import dev.rollwatch.platform.messaging.Consumption;
import dev.rollwatch.platform.messaging.EventConsumer;
import io.smallrye.common.annotation.Blocking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Executes each RollbackRequested once; replays and duplicates do nothing; poison goes to the DLQ. */
@EventConsumer
public class RollbackRequestedConsumer {

    private final Consumption consumption;
    private final RollbackExecutor executor;

    public RollbackRequestedConsumer(Consumption consumption, RollbackExecutor executor) {
        this.consumption = consumption;
        this.executor = executor;
    }

    @Incoming(Topics.ROLLBACK_REQUESTED)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        consumption.once(record, RollbackRequested.class, executor::begin);
    }
}
