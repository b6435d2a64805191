package dev.rollwatch.notifier.messaging;

import dev.rollwatch.events.ApprovalRequested;
import dev.rollwatch.events.BakeCheckpoint;
import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
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
import dev.rollwatch.platform.inbox.Inbox;
import dev.rollwatch.platform.messaging.InboundEvents;
import dev.rollwatch.platform.messaging.RetryTransient;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;

/**
 * Records the deliveries for every event people are told about, once per event: replays are never sent again,
 * duplicates do nothing, poison goes to the topic's DLQ. Of the steps, only a phase reached (a SET_WEIGHT step that
 * SUCCEEDED) is told; the other step events are consumed and left alone.
 */
@ApplicationScoped
public class AlertEventsConsumer {

    static final String CONSUMER = "notifier-service/";
    private static final Logger LOG = Logger.getLogger(AlertEventsConsumer.class);

    private final Inbox inbox;
    private final NotificationService notifications;
    private final MeterRegistry registry;

    public AlertEventsConsumer(Inbox inbox, NotificationService notifications, MeterRegistry registry) {
        this.inbox = inbox;
        this.notifications = notifications;
        this.registry = registry;
    }

    @RetryTransient
    @Incoming(Topics.THRESHOLD_BREACHED)
    @Blocking
    @Transactional
    public void thresholdBreached(ConsumerRecord<String, byte[]> record) {
        handle(record, ThresholdBreached.class);
    }

    @RetryTransient
    @Incoming(Topics.ROLLBACK_REQUESTED)
    @Blocking
    @Transactional
    public void rollbackRequested(ConsumerRecord<String, byte[]> record) {
        handle(record, RollbackRequested.class);
    }

    @RetryTransient
    @Incoming(Topics.ROLLBACK_COMPLETED)
    @Blocking
    @Transactional
    public void rollbackCompleted(ConsumerRecord<String, byte[]> record) {
        handle(record, RollbackCompleted.class);
    }

    @RetryTransient
    @Incoming(Topics.DEPLOYMENT_STARTED)
    @Blocking
    @Transactional
    public void deploymentStarted(ConsumerRecord<String, byte[]> record) {
        handle(record, DeploymentStarted.class);
    }

    @RetryTransient
    @Incoming(Topics.DEPLOYMENT_FINISHED)
    @Blocking
    @Transactional
    public void deploymentFinished(ConsumerRecord<String, byte[]> record) {
        handle(record, DeploymentFinished.class);
    }

    @RetryTransient
    @Incoming(Topics.ROLLBACK_ESCALATED)
    @Blocking
    @Transactional
    public void rollbackEscalated(ConsumerRecord<String, byte[]> record) {
        handle(record, RollbackEscalated.class);
    }

    @RetryTransient
    @Incoming(Topics.ROLLBACK_DECISIONS)
    @Blocking
    @Transactional
    public void rollbackDecided(ConsumerRecord<String, byte[]> record) {
        handle(record, RollbackDecided.class);
    }

    @RetryTransient
    @Incoming(Topics.STEP_COMPLETED)
    @Blocking
    @Transactional
    public void stepCompleted(ConsumerRecord<String, byte[]> record) {
        handle(record, StepCompleted.class);
    }

    @RetryTransient
    @Incoming(Topics.BAKE_CHECKPOINTS)
    @Blocking
    @Transactional
    public void bakeCheckpoint(ConsumerRecord<String, byte[]> record) {
        handle(record, BakeCheckpoint.class);
    }

    @RetryTransient
    @Incoming(Topics.APPROVAL_REQUESTS)
    @Blocking
    @Transactional
    public void approvalRequested(ConsumerRecord<String, byte[]> record) {
        handle(record, ApprovalRequested.class);
    }

    @RetryTransient
    @Incoming(Topics.ROLLBACK_VERIFICATIONS)
    @Blocking
    @Transactional
    public void rollbackVerified(ConsumerRecord<String, byte[]> record) {
        handle(record, RollbackVerified.class);
    }

    private void handle(ConsumerRecord<String, byte[]> record, Class<? extends EventData> expected) {
        if (InboundEvents.isReplay(record)) {
            LOG.debugf("skipped replayed record %s-%d@%d", record.topic(), record.partition(), record.offset());
            registry.counter("rollwatch.notifier.replays.skipped", "topic", record.topic()).increment();
            return;
        }
        Envelope<? extends EventData> event = InboundEvents.decode(record).as(expected);
        if (!AlertFacts.notifiable(event)) {
            return; // a step that is not a phase reached
        }
        if (!inbox.claim(CONSUMER + record.topic(), event)) {
            LOG.debugf("duplicate deploymentId=%s eventId=%s ignored", event.subject(), event.id());
            return;
        }
        notifications.record(event, new String(record.value(), StandardCharsets.UTF_8));
    }
}
