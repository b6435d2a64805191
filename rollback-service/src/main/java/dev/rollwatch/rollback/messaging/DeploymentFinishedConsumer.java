package dev.rollwatch.rollback.messaging;

import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.Topics;
import dev.rollwatch.platform.messaging.Consumption;
import dev.rollwatch.platform.messaging.EventConsumer;
import dev.rollwatch.rollback.service.DeploymentTracker;
import io.smallrye.common.annotation.Blocking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Closes finished deployments and records SUCCEEDED versions as last known good. */
@EventConsumer
public class DeploymentFinishedConsumer {

    private final Consumption consumption;
    private final DeploymentTracker tracker;

    public DeploymentFinishedConsumer(Consumption consumption, DeploymentTracker tracker) {
        this.consumption = consumption;
        this.tracker = tracker;
    }

    @Incoming(Topics.DEPLOYMENT_FINISHED)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        consumption.once(record, DeploymentFinished.class, tracker::finished);
    }
}
