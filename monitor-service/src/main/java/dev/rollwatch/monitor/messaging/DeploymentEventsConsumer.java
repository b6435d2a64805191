package dev.rollwatch.monitor.messaging;

import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.StepStarted;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.Topics;
import dev.rollwatch.monitor.service.AnalysisService;
import dev.rollwatch.monitor.service.EarlyEvents;
import dev.rollwatch.monitor.service.Verifications;
import dev.rollwatch.monitor.service.WatchService;
import dev.rollwatch.events.EventData;
import dev.rollwatch.platform.messaging.Consumption;
import dev.rollwatch.platform.messaging.EventConsumer;
import io.smallrye.common.annotation.Blocking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.function.Consumer;

/**
 * The deployment's life as the deploy service announces it, turned into the watch's life. Each event is applied
 * once (idempotent inbox, same transaction as the effect); replays of history do not restart or stop watches;
 * poison goes to the channel's DLQ. The four topics are not ordered with each other: each consumer first takes the
 * deployment's advisory lock, and a step or finish that comes before the DeploymentStarted is kept and applied when
 * the watch starts ({@link EarlyEvents}).
 */
@EventConsumer
public class DeploymentEventsConsumer {

    /**
     * The worker pool of {@link #deploymentStarted}; its size is
     * {@code smallrye.messaging.worker.monitor-deployment-started.max-concurrency} (3, application.properties).
     */
    static final String STARTS_POOL = "monitor-deployment-started";

    private final Consumption consumption;
    private final WatchService watches;
    private final AnalysisService analyses;
    private final EarlyEvents early;
    private final Verifications verifications;

    public DeploymentEventsConsumer(Consumption consumption, WatchService watches, AnalysisService analyses,
            EarlyEvents early, Verifications verifications) {
        this.verifications = verifications;
        this.consumption = consumption;
        this.early = early;
        this.watches = watches;
        this.analyses = analyses;
    }

    /**
     * Several at a time ({@link #STARTS_POOL}), not in partition order, on a pool of their own: a deployment has one
     * DeploymentStarted (the inbox drops a repeat), so there is no order to keep among them, and one consumer stays
     * the only member of the group on this topic in this instance, as {@link PartitionOwnership} needs for a second
     * instance to take over part of the polling. Handled one at a time, a burst of 200 deployments queued them
     * 15-20 s, and their analysis steps opened that late (docs/performance.md, issue 16, 4).
     */
    @Incoming(Topics.DEPLOYMENT_STARTED)
    @io.smallrye.reactive.messaging.annotations.Blocking(value = STARTS_POOL, ordered = false)
    public void deploymentStarted(ConsumerRecord<String, byte[]> record) {
        consumption.once(record, DeploymentStarted.class, locked(watches::start));
    }

    @Incoming(Topics.STEP_STARTED)
    @Blocking
    public void stepStarted(ConsumerRecord<String, byte[]> record) {
        consumption.once(record, StepStarted.class, locked(event -> {
            boolean analysis = event.data().kind() == StepKind.ANALYSIS;
            if (watches.followStep(event, event.data().stepIndex(), event.data().weight(), analysis,
                    event.data().deadline(), true) && analysis) {
                analyses.begin(event);
            }
        }));
    }

    @Incoming(Topics.STEP_COMPLETED)
    @Blocking
    public void stepCompleted(ConsumerRecord<String, byte[]> record) {
        consumption.once(record, StepCompleted.class, locked(event -> watches.followStep(event,
                event.data().stepIndex(), event.data().weight(), false, null, false)));
    }

    /** A rollback was requested: a baking deployment's bake window ends. */
    @Incoming(Topics.ROLLBACK_REQUESTED)
    @Blocking
    public void rollbackRequested(ConsumerRecord<String, byte[]> record) {
        consumption.once(record, RollbackRequested.class, locked(watches::rollbackRequested));
    }

    /** A rollback completed: SUCCEEDED or UNVERIFIED starts the verification of the restored version. */
    @Incoming(Topics.ROLLBACK_COMPLETED)
    @Blocking
    public void rollbackCompleted(ConsumerRecord<String, byte[]> record) {
        consumption.once(record, RollbackCompleted.class, locked(verifications::rollbackCompleted));
    }

    @Incoming(Topics.DEPLOYMENT_FINISHED)
    @Blocking
    public void deploymentFinished(ConsumerRecord<String, byte[]> record) {
        consumption.once(record, DeploymentFinished.class, locked(watches::finish));
    }

    /** The effect, under the deployment's advisory lock (taken after the inbox claim, as the effect's first step). */
    private <T extends EventData> Consumer<Envelope<T>> locked(Consumer<Envelope<T>> effect) {
        return event -> {
            early.lock(event.subject());
            effect.accept(event);
        };
    }
}
