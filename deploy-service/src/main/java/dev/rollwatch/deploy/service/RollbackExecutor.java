package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.domain.Deployment;
import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.domain.DeploymentStep;
import dev.rollwatch.deploy.domain.StepStatus;
import dev.rollwatch.deploy.driver.TargetDriver;
import dev.rollwatch.deploy.repository.DeploymentRepository;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.platform.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Executes the rollbacks the rollback service decides, in two transactions around the target call: {@link #begin}
 * (in the consumer's transaction) stops forward progress and records ROLLING_BACK; the engine then calls the
 * target outside any transaction and {@link #finish} records the outcome. A restart in between resumes the
 * ROLLING_BACK deployment with the same webhook-id, so the target applies the rollback once.
 * <p>
 * Three cases beyond the plain rollback of a running rollout: a strategy with {@code onFailure: stepBack} steps a
 * failed phase back to the previous phase's weight instead ({@link StepPolicy#stepBack}, then
 * {@link #stepBackDone}); a SUCCEEDED deployment (a breach in its bake window, or an operator) is rolled back unless
 * a newer deployment of its service and environment has started since; and a rollback whose restored version fails
 * its health probe is UNVERIFIED, not SUCCEEDED.
 */
@ApplicationScoped
public class RollbackExecutor {

    private static final Logger LOG = Logger.getLogger(RollbackExecutor.class);

    private final DeploymentRepository repository;
    private final DeploymentEvents events;
    private final Outbox outbox;
    private final Event<EngineWake> wake;
    private final Timer detectionToRollback;
    private final Clock clock;

    public RollbackExecutor(DeploymentRepository repository, DeploymentEvents events, Outbox outbox,
            Event<EngineWake> wake, MeterRegistry registry, Clock clock) {
        this.repository = repository;
        this.events = events;
        this.outbox = outbox;
        this.wake = wake;
        this.clock = clock;
        this.detectionToRollback = Timer.builder("rollwatch.rollback.detection.latency")
                .description("breach observed to rollback completed").publishPercentiles(0.5, 0.95, 0.99)
                .register(registry);
    }

    /**
     * Stops forward progress and records the rollback (or step back) to execute; a second request for it does
     * nothing more.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void begin(Envelope<RollbackRequested> request) {
        RollbackRequested r = request.data();
        UUID id = UUID.fromString(request.subject());
        Deployment d = repository.lock(id).orElse(null);
        if (d == null) {
            LOG.warnf("rollback %s for unknown deployment %s ignored", request.id(), id);
            return;
        }
        if (d.status == DeploymentStatus.ROLLING_BACK
                || (d.status.isTerminal() && d.status != DeploymentStatus.SUCCEEDED)) {
            LOG.infof("rollback %s for deployment %s ignored: already %s", request.id(), id, d.status);
            return;
        }
        Instant started = StepTransitions.now(clock);
        if (d.status == DeploymentStatus.SUCCEEDED) {
            if (target(d, r) == null) {
                refuse(d, request, "no previous version of " + d.service + " in " + d.environment
                        + " to roll back to", started);
                return;
            }
            Optional<Deployment> newer = repository.newerThan(d);
            if (newer.isPresent()) {
                refuse(d, request, "superseded by deployment " + newer.get().id + " (" + newer.get().version + ", "
                        + newer.get().status + "): rolling " + d.service + " back to " + target(d, r)
                        + " would undo it; roll back the newer deployment instead", started);
                return;
            }
        } else {
            Optional<StepPolicy.StepBack> back = StepPolicy.stepBack(DeploymentService.stepsOf(d), d.onFailure,
                    r.trigger(), d.promotedBy != null, d.currentStep, d.currentWeight, d.steppedBackPhase);
            if (back.isPresent()) {
                events.stopOpenStep(d, "stopped by step back: " + r.reason(), started);
                d.moveTo(DeploymentStatus.ROLLING_BACK, "stepping back from " + d.currentWeight + "% to "
                        + back.get().toWeight() + "%: " + r.reason(), started);
                d.stepBackToWeight = back.get().toWeight();
                d.steppedBackPhase = back.get().phaseStart();
                remember(d, request, started);
                wake.fire(EngineWake.rollback(id));
                LOG.infof("deployment %s stepping back from %d%% to %d%% (request %s): %s", id, d.currentWeight,
                        d.stepBackToWeight, request.id(), r.reason());
                return;
            }
            events.stopOpenStep(d, "stopped by rollback: " + r.reason(), started);
        }
        d.moveTo(DeploymentStatus.ROLLING_BACK, r.reason(), started);
        d.stepBackToWeight = null;
        remember(d, request, started);
        d.rollbackToVersion = target(d, r);
        wake.fire(EngineWake.rollback(id));
        LOG.infof("deployment %s rolling back to %s at weight %d (request %s): %s", id, d.rollbackToVersion,
                d.currentWeight, request.id(), r.reason());
    }

    private static String target(Deployment d, RollbackRequested r) {
        return r.toVersion() != null ? r.toVersion() : d.previousVersion;
    }

    private static void remember(Deployment d, Envelope<RollbackRequested> request, Instant started) {
        d.rollbackRequestId = request.id();
        d.rollbackCorrelationId = request.correlationId();
        d.rollbackDetectedAt = request.data().detectedAt();
        d.rollbackStartedAt = started;
        d.rollbackFinishedAt = null;
    }

    /** A rollback that is not executed: RollbackCompleted FAILED says why; the deployment is left as it is. */
    private void refuse(Deployment d, Envelope<RollbackRequested> request, String why, Instant now) {
        RollbackCompleted data = new RollbackCompleted(d.service, d.environment, RollbackOutcome.FAILED,
                target(d, request.data()), 0, null, why);
        outbox.publish(new Envelope<>(UUID.randomUUID().toString(), DeploymentService.SOURCE, null, d.id.toString(),
                now, request.id(), request.correlationId() != null ? request.correlationId() : d.id.toString(),
                d.id.toString(), data));
        LOG.infof("rollback %s of deployment %s refused: %s", request.id(), d.id, why);
    }

    /**
     * Records what the target did with the rollback: ROLLED_BACK (RollbackCompleted SUCCEEDED, or UNVERIFIED when the
     * restored version's health probe failed), or ROLLBACK_FAILED after the driver's retries.
     */
    @Transactional
    public void finish(UUID id, boolean succeeded, String detail, TargetDriver.Health health) {
        Deployment d = repository.lock(id).orElseThrow();
        if (d.status != DeploymentStatus.ROLLING_BACK || d.stepBackToWeight != null) {
            return;
        }
        Instant done = StepTransitions.now(clock);
        d.rollbackFinishedAt = done;
        if (succeeded) {
            d.currentWeight = 0;
        }
        Long detectionMs = d.rollbackDetectedAt == null ? null
                : Duration.between(d.rollbackDetectedAt, done).toMillis();
        if (succeeded && detectionMs != null) {
            detectionToRollback.record(Duration.ofMillis(Math.max(0, detectionMs)));
        }
        RollbackOutcome outcome = !succeeded ? RollbackOutcome.FAILED
                : health == null || health.up() ? RollbackOutcome.SUCCEEDED : RollbackOutcome.UNVERIFIED;
        RollbackCompleted data = new RollbackCompleted(d.service, d.environment, outcome, d.rollbackToVersion,
                Duration.between(d.rollbackStartedAt != null ? d.rollbackStartedAt : done, done).toMillis(),
                detectionMs, detail, null, health == null ? null : health.detail());
        Envelope<RollbackCompleted> completed = completed(d, data, done);
        LOG.infof("deployment %s rollback to %s %s in %d ms (detection-to-rollback %s ms, event %s): %s", id,
                d.rollbackToVersion, data.outcome(), data.durationMs(), detectionMs, completed.id(), detail);
        if (succeeded) {
            // UNVERIFIED still ends ROLLED_BACK: the target did roll back; the rollback service escalates it.
            events.finish(d, DeploymentOutcome.ROLLED_BACK, d.statusReason
                    + (outcome == RollbackOutcome.UNVERIFIED ? " (rollback UNVERIFIED: " + health.detail() + ")" : ""),
                    done, completed);
        } else {
            d.moveTo(DeploymentStatus.ROLLBACK_FAILED, "rollback failed: " + detail, done);
            events.finishAs(d, DeploymentOutcome.FAILED, "rollback failed: " + detail, done, completed);
        }
    }

    /**
     * The target is back at the previous phase's weight: record it (a setWeight step in the history, and
     * RollbackCompleted STEPPED_BACK with {@code toWeight}), start the next run of the steps at the failed phase, and
     * either wait for an operator ({@code afterStepBack: pause}, approve = retry the phase) or retry it at once
     * ({@code continue}).
     */
    @Transactional
    public void stepBackDone(UUID id, int weight) {
        Deployment d = repository.lock(id).orElseThrow();
        if (d.status != DeploymentStatus.ROLLING_BACK || d.stepBackToWeight == null) {
            return;
        }
        Instant done = StepTransitions.now(clock);
        List<StepSpec> plan = DeploymentService.stepsOf(d);
        int phase = d.steppedBackPhase;
        int previous = phase - 1;
        while (previous > 0 && plan.get(previous).kind() != StepKind.SET_WEIGHT) {
            previous--;
        }
        int from = d.currentWeight;
        String why = d.statusReason;
        d.currentWeight = weight;
        d.stepBackToWeight = null;
        d.stepAttempt++;
        // The step back in the history: the previous phase's setWeight again, in the new run.
        DeploymentStep record = events.startStep(d, previous, StepSpec.setWeight(weight), done);
        events.completeStep(d, record, StepStatus.SUCCEEDED, "stepped back from " + from + "% to " + weight
                + "% (" + why + ")", done);
        d.currentStep = phase; // the failed phase runs again from its setWeight
        RollbackCompleted data = new RollbackCompleted(d.service, d.environment, RollbackOutcome.STEPPED_BACK, null,
                Duration.between(d.rollbackStartedAt != null ? d.rollbackStartedAt : done, done).toMillis(),
                d.rollbackDetectedAt == null ? null : Duration.between(d.rollbackDetectedAt, done).toMillis(),
                "stepped back from " + from + "% to " + weight + "%; phase from step " + phase + " "
                        + (continues(d) ? "retried at once" : "waits for an operator to retry (approve) or abort"),
                weight, null);
        Envelope<RollbackCompleted> completed = completed(d, data, done);
        d.rollbackStartedAt = null;
        d.rollbackDetectedAt = null;
        LOG.infof("deployment %s stepped back from %d%% to %d%% (event %s)", id, from, weight, completed.id());
        if (continues(d)) {
            d.moveTo(DeploymentStatus.RUNNING, null, done);
        } else {
            events.awaitApproval(d, phase, "stepped back from " + from + "% to " + weight + "% (" + why
                    + "); approve to retry the phase, or abort", done);
        }
        wake.fire(new EngineWake(id));
    }

    /** The step back's traffic call failed: roll back fully instead (the engine does it next). */
    @Transactional
    public void stepBackFailed(UUID id, String problem) {
        Deployment d = repository.lock(id).orElseThrow();
        if (d.status != DeploymentStatus.ROLLING_BACK || d.stepBackToWeight == null) {
            return;
        }
        d.stepBackToWeight = null;
        d.rollbackToVersion = d.previousVersion;
        String reason = "step back failed (" + problem + "), rolling back: " + d.statusReason;
        d.statusReason = reason.length() <= 2000 ? reason : reason.substring(0, 1990) + "…";
        d.updatedAt = StepTransitions.now(clock);
        wake.fire(EngineWake.rollback(id));
        LOG.warnf("deployment %s: step back failed, rolling back to %s: %s", id, d.previousVersion, problem);
    }

    private static boolean continues(Deployment d) {
        return DeploymentStarted.AFTER_STEP_BACK_CONTINUE.equals(d.afterStepBack);
    }

    private Envelope<RollbackCompleted> completed(Deployment d, RollbackCompleted data, Instant at) {
        Envelope<RollbackCompleted> completed = new Envelope<>(UUID.randomUUID().toString(), DeploymentService.SOURCE,
                null, d.id.toString(), at, d.rollbackRequestId,
                d.rollbackCorrelationId != null ? d.rollbackCorrelationId : d.id.toString(), d.id.toString(), data);
        outbox.publish(completed);
        return completed;
    }
}
