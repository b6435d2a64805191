package dev.rollwatch.monitor.messaging;

import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.StepStarted;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.monitor.service.AnalysisService;
import dev.rollwatch.monitor.service.EarlyEvents;
import dev.rollwatch.monitor.service.Verifications;
import dev.rollwatch.monitor.service.WatchService;
import dev.rollwatch.platform.inbox.Inbox;
import dev.rollwatch.platform.messaging.InboundEvents;
import dev.rollwatch.platform.messaging.RetryTransient;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The deployment's life as the deploy service announces it, turned into the watch's life. Each event is applied
 * once (idempotent inbox, same transaction as the effect); replays of history do not restart or stop watches;
 * poison goes to the channel's DLQ. The four topics are not ordered with each other: each consumer first takes the
 * deployment's advisory lock, and a step or finish that comes before the DeploymentStarted is kept and applied when
 * the watch starts ({@link EarlyEvents}).
 */
@ApplicationScoped
public class DeploymentEventsConsumer {

    static final String CONSUMER = "monitor-service/";

    private final Inbox inbox;
    private final WatchService watches;
    private final AnalysisService analyses;
    private final EarlyEvents early;
    private final Verifications verifications;

    public DeploymentEventsConsumer(Inbox inbox, WatchService watches, AnalysisService analyses, EarlyEvents early,
            Verifications verifications) {
        this.verifications = verifications;
        this.inbox = inbox;
        this.early = early;
        this.watches = watches;
        this.analyses = analyses;
    }

    @RetryTransient
    @Incoming("deployment-started")
    @Blocking
    @Transactional
    public void deploymentStarted(ConsumerRecord<String, byte[]> record) {
        if (InboundEvents.isReplay(record)) {
            return;
        }
        Envelope<DeploymentStarted> event = InboundEvents.decode(record).as(DeploymentStarted.class);
        if (!inbox.claim(CONSUMER + record.topic(), event)) {
            return;
        }
        early.lock(event.subject());
        watches.start(event);
    }

    @RetryTransient
    @Incoming("step-started")
    @Blocking
    @Transactional
    public void stepStarted(ConsumerRecord<String, byte[]> record) {
        if (InboundEvents.isReplay(record)) {
            return;
        }
        Envelope<StepStarted> event = InboundEvents.decode(record).as(StepStarted.class);
        if (!inbox.claim(CONSUMER + record.topic(), event)) {
            return;
        }
        early.lock(event.subject());
        boolean analysis = event.data().kind() == StepKind.ANALYSIS;
        if (watches.followStep(event, event.data().stepIndex(), event.data().weight(), analysis,
                event.data().deadline(), true) && analysis) {
            analyses.begin(event);
        }
    }

    @RetryTransient
    @Incoming("step-completed")
    @Blocking
    @Transactional
    public void stepCompleted(ConsumerRecord<String, byte[]> record) {
        if (InboundEvents.isReplay(record)) {
            return;
        }
        Envelope<StepCompleted> event = InboundEvents.decode(record).as(StepCompleted.class);
        if (!inbox.claim(CONSUMER + record.topic(), event)) {
            return;
        }
        early.lock(event.subject());
        watches.followStep(event, event.data().stepIndex(), event.data().weight(), false, null, false);
    }

    /** A rollback was requested: a baking deployment's bake window ends. */
    @RetryTransient
    @Incoming("rollback-requested")
    @Blocking
    @Transactional
    public void rollbackRequested(ConsumerRecord<String, byte[]> record) {
        if (InboundEvents.isReplay(record)) {
            return;
        }
        Envelope<RollbackRequested> event = InboundEvents.decode(record).as(RollbackRequested.class);
        if (!inbox.claim(CONSUMER + record.topic(), event)) {
            return;
        }
        early.lock(event.subject());
        watches.rollbackRequested(event);
    }

    /** A rollback completed: SUCCEEDED or UNVERIFIED starts the verification of the restored version. */
    @RetryTransient
    @Incoming("rollback-completed")
    @Blocking
    @Transactional
    public void rollbackCompleted(ConsumerRecord<String, byte[]> record) {
        if (InboundEvents.isReplay(record)) {
            return;
        }
        Envelope<RollbackCompleted> event = InboundEvents.decode(record).as(RollbackCompleted.class);
        if (!inbox.claim(CONSUMER + record.topic(), event)) {
            return;
        }
        early.lock(event.subject());
        verifications.rollbackCompleted(event);
    }

    @RetryTransient
    @Incoming("deployment-finished")
    @Blocking
    @Transactional
    public void deploymentFinished(ConsumerRecord<String, byte[]> record) {
        if (InboundEvents.isReplay(record)) {
            return;
        }
        Envelope<DeploymentFinished> event = InboundEvents.decode(record).as(DeploymentFinished.class);
        if (!inbox.claim(CONSUMER + record.topic(), event)) {
            return;
        }
        early.lock(event.subject());
        watches.finish(event);
    }
}
