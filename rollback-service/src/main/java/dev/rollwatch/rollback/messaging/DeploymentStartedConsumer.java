package dev.rollwatch.rollback.messaging;

import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Topics;
import dev.rollwatch.platform.messaging.Consumption;
import dev.rollwatch.platform.messaging.EventConsumer;
import dev.rollwatch.rollback.service.DeploymentTracker;
import io.smallrye.common.annotation.Blocking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Tracks each started deployment once: its version and the version it replaces (a rollback target). */
@EventConsumer
public class DeploymentStartedConsumer {

    private final Consumption consumption;
    private final DeploymentTracker tracker;

    public DeploymentStartedConsumer(Consumption consumption, DeploymentTracker tracker) {
        this.consumption = consumption;
        this.tracker = tracker;
    }

    @Incoming(Topics.DEPLOYMENT_STARTED)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        consumption.once(record, DeploymentStarted.class, tracker::started);
    }
}
