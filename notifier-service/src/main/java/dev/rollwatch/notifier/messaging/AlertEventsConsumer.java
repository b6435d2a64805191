package dev.rollwatch.notifier.messaging;

import dev.rollwatch.events.ApprovalRequested;
import dev.rollwatch.events.BakeCheckpoint;
import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackDecided;
import dev.rollwatch.events.RollbackEscalated;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.RollbackVerified;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Topics;
import dev.rollwatch.notifier.domain.AlertFacts;
import dev.rollwatch.notifier.service.NotificationService;
import dev.rollwatch.platform.messaging.Consumption;
import dev.rollwatch.platform.messaging.EventConsumer;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.nio.charset.StandardCharsets;

/**
 * Records the deliveries for every event people are told about, once per event: replays are never sent again,
 * duplicates do nothing, poison goes to the topic's DLQ. Of the steps, only a phase reached (a SET_WEIGHT step that
 * SUCCEEDED) is told; the other step events are consumed and left alone.
 */
@EventConsumer
public class AlertEventsConsumer {

    private final Consumption consumption;
    private final NotificationService notifications;
    private final MeterRegistry registry;

    public AlertEventsConsumer(Consumption consumption, NotificationService notifications, MeterRegistry registry) {
        this.consumption = consumption;
        this.notifications = notifications;
        this.registry = registry;
    }

    @Incoming(Topics.THRESHOLD_BREACHED)
    @Blocking
    public void thresholdBreached(ConsumerRecord<String, byte[]> record) {
        handle(record, ThresholdBreached.class);
    }

    @Incoming(Topics.ROLLBACK_REQUESTED)
    @Blocking
    public void rollbackRequested(ConsumerRecord<String, byte[]> record) {
        handle(record, RollbackRequested.class);
    }

    @Incoming(Topics.ROLLBACK_COMPLETED)
    @Blocking
    public void rollbackCompleted(ConsumerRecord<String, byte[]> record) {
        handle(record, RollbackCompleted.class);
    }

    @Incoming(Topics.DEPLOYMENT_STARTED)
    @Blocking
    public void deploymentStarted(ConsumerRecord<String, byte[]> record) {
        handle(record, DeploymentStarted.class);
    }

    @Incoming(Topics.DEPLOYMENT_FINISHED)
    @Blocking
    public void deploymentFinished(ConsumerRecord<String, byte[]> record) {
        handle(record, DeploymentFinished.class);
    }

    @Incoming(Topics.ROLLBACK_ESCALATED)
    @Blocking
    public void rollbackEscalated(ConsumerRecord<String, byte[]> record) {
        handle(record, RollbackEscalated.class);
    }

    @Incoming(Topics.ROLLBACK_DECISIONS)
    @Blocking
    public void rollbackDecided(ConsumerRecord<String, byte[]> record) {
        handle(record, RollbackDecided.class);
    }

    @Incoming(Topics.STEP_COMPLETED)
    @Blocking
    public void stepCompleted(ConsumerRecord<String, byte[]> record) {
        handle(record, StepCompleted.class);
    }

    @Incoming(Topics.BAKE_CHECKPOINTS)
    @Blocking
    public void bakeCheckpoint(ConsumerRecord<String, byte[]> record) {
        handle(record, BakeCheckpoint.class);
    }

    @Incoming(Topics.APPROVAL_REQUESTS)
    @Blocking
    public void approvalRequested(ConsumerRecord<String, byte[]> record) {
        handle(record, ApprovalRequested.class);
    }

    @Incoming(Topics.ROLLBACK_VERIFICATIONS)
    @Blocking
    public void rollbackVerified(ConsumerRecord<String, byte[]> record) {
        handle(record, RollbackVerified.class);
    }

    private <T extends EventData> void handle(ConsumerRecord<String, byte[]> record, Class<T> expected) {
        // A step that is not a phase reached is consumed and left alone (not claimed).
        Consumption.Outcome outcome = consumption.once(record, expected, AlertFacts::notifiable,
                event -> notifications.record(event, new String(record.value(), StandardCharsets.UTF_8)));
        if (outcome == Consumption.Outcome.REPLAY) {
            registry.counter("rollwatch.notifier.replays.skipped", "topic", record.topic()).increment();
        }
    }
}
