package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.config.DeployConfig;
import dev.rollwatch.deploy.domain.Deployment;
import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.domain.DeploymentStep;
import dev.rollwatch.deploy.driver.TargetDriver;
import dev.rollwatch.deploy.repository.DeploymentRepository;
import dev.rollwatch.deploy.repository.StepRepository;
import dev.rollwatch.deploy.service.StepMachine.Command;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackRequested;
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
import java.util.UUID;

/**
 * Executes the rollbacks the rollback service decides, in two transactions around the target call: {@link #begin}
 * (in the consumer's transaction) stops forward progress and records ROLLING_BACK; the engine then calls the
 * target outside any transaction and {@link #rolledBack} / {@link #rollbackFailed} record the outcome (for a step
 * back, {@link #steppedBack} / {@link #stepBackFailed}). A restart in between resumes the ROLLING_BACK deployment
 * with the same webhook-id, so the target applies the rollback once.
 * <p>
 * What each of them does is decided by the pure {@link StepMachine} ({@link RollbackDecisions}: each status, step
 * back or full rollback, a SUCCEEDED deployment and a newer one, each outcome). This class keeps what is not a
 * decision: the transaction, the row lock, the facts the snapshot needs (the open step, a newer deployment), the
 * outbox, the metrics, and applying the commands, after which the deployment must be in the state the machine said.
 */
@ApplicationScoped
public class RollbackExecutor {

    private static final Logger LOG = Logger.getLogger(RollbackExecutor.class);

    private final DeploymentRepository repository;
    private final StepRepository steps;
    private final DeploymentEvents events;
    private final Outbox outbox;
    private final Event<EngineWake> wake;
    private final Timer detectionToRollback;
    private final StepMachine machine;
    private final Clock clock;

    public RollbackExecutor(DeploymentRepository repository, StepRepository steps, DeploymentEvents events,
            Outbox outbox, Event<EngineWake> wake, MeterRegistry registry, DeployConfig config, Clock clock) {
        this.repository = repository;
        this.steps = steps;
        this.events = events;
        this.outbox = outbox;
        this.wake = wake;
        this.clock = clock;
        this.machine = new StepMachine(config.engine().analysisGrace());
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
        begin(request, false);
    }

    /**
     * {@link #begin(Envelope)}, returning the work it left for the engine (the rollback or step-back call, else
     * {@link Work#NONE}). {@code rehearsal}: the start-up warm-up's run of this path ({@link RollbackWarmup}, in a
     * transaction that is rolled back) — the same reads, decision and writes, without their log lines and meters.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Work begin(Envelope<RollbackRequested> request, boolean rehearsal) {
        RollbackRequested r = request.data();
        UUID id = UUID.fromString(request.subject());
        Deployment d = repository.lock(id).orElse(null);
        if (d == null) {
            if (!rehearsal) {
                LOG.warnf("rollback %s for unknown deployment %s ignored", request.id(), id);
            }
            return Work.NONE;
        }
        // The facts the decision reads besides the row: the open step it would stop, a newer deployment it must
        // not undo.
        DeploymentStep step = steps.step(id, d.currentStep, d.stepAttempt).orElse(null);
        StepMachine.Newer newer = repository.newerThan(d)
                .map(n -> new StepMachine.Newer(n.id, n.version, n.status)).orElse(null);
        return on(d, step, newer, new StepMachine.Event.RollbackRequested(request.id(), r.trigger(), r.toVersion(),
                r.reason()), request, rehearsal).work();
    }

    /**
     * The target rolled back: ROLLED_BACK (RollbackCompleted SUCCEEDED, or UNVERIFIED when the restored version's
     * health probe failed).
     */
    @Transactional
    public void rolledBack(UUID id, String detail, TargetDriver.Health health) {
        on(id, new StepMachine.Event.RolledBack(detail, health));
    }

    /** The target refused or never answered the rollback (after the driver's retries): ROLLBACK_FAILED. */
    @Transactional
    public void rollbackFailed(UUID id, String problem) {
        on(id, new StepMachine.Event.RollbackFailed(problem));
    }

    /**
     * The target is back at the previous phase's weight: recorded (a setWeight step in the history, and
     * RollbackCompleted STEPPED_BACK with {@code toWeight}), and the failed phase runs again, at once or once an
     * operator approves.
     */
    @Transactional
    public void steppedBack(UUID id, int weight) {
        on(id, new StepMachine.Event.SteppedBack(weight));
    }

    /** The step back's traffic call failed: roll back fully instead (the engine does it next). */
    @Transactional
    public void stepBackFailed(UUID id, String problem) {
        on(id, new StepMachine.Event.StepBackFailed(problem));
    }

    private void on(UUID id, StepMachine.Event event) {
        on(repository.lock(id).orElseThrow(), null, null, event, null, false);
    }

    /**
     * Decides {@code event} on the locked deployment and applies the answer ({@code request}: the rollback request
     * being begun, else null), then wakes the engine for what follows after commit: its rollback workers for the
     * rollback or step-back call, its forward workers for a rollout that goes on. {@code rehearsal}: see
     * {@link #begin(Envelope, boolean)}.
     */
    private StepMachine.Transition on(Deployment d, DeploymentStep step, StepMachine.Newer newer,
            StepMachine.Event event, Envelope<RollbackRequested> request, boolean rehearsal) {
        Instant now = StepTransitions.now(clock);
        StepMachine.Step row = step == null ? null
                : new StepMachine.Step(step.stepIndex, step.status.isOpen(), step.deadline, null, null);
        StepMachine.Transition t = machine.next(StepTransitions.snapshot(d, DeploymentEvents.plan(d), row, newer),
                event, now);
        apply(d, step, t, now, request, rehearsal);
        if (t.work() instanceof Work.Rollback || t.work() instanceof Work.StepBack) {
            wake.fire(EngineWake.rollback(d.id));
        }
        if (t.again()) {
            wake.fire(new EngineWake(d.id));
        }
        return t;
    }

    private void apply(Deployment d, DeploymentStep step, StepMachine.Transition t, Instant now,
            Envelope<RollbackRequested> request, boolean rehearsal) {
        Envelope<RollbackCompleted> completed = null; // the transition's RollbackCompleted: what its end was caused by
        for (Command c : t.commands()) {
            if (c instanceof Command.RollBack b) {
                d.moveTo(DeploymentStatus.ROLLING_BACK, b.reason(), now);
                d.stepBackToWeight = null;
                d.rollbackToVersion = b.toVersion();
                remember(d, request, now);
            } else if (c instanceof Command.StepBack b) {
                d.moveTo(DeploymentStatus.ROLLING_BACK, b.reason(), now);
                d.stepBackToWeight = b.toWeight();
                d.steppedBackPhase = b.phaseStart();
                remember(d, request, now);
            } else if (c instanceof Command.Refuse f) {
                Envelope<RollbackCompleted> refusal = publish(d, f.data(), now, request.id(),
                        request.correlationId());
                if (!rehearsal) {
                    LOG.infof("rollback %s of deployment %s refused: %s (event %s)", request.id(), d.id,
                            f.data().detail(), refusal.id());
                }
            } else if (c instanceof Command.EndRollback e) {
                d.rollbackFinishedAt = now;
                completed = publish(d, e.data(), now, d.rollbackRequestId, d.rollbackCorrelationId);
                Long detectionMs = e.data().detectionToRollbackMs();
                if (e.data().outcome() != RollbackOutcome.FAILED && detectionMs != null) {
                    detectionToRollback.record(Duration.ofMillis(Math.max(0, detectionMs)));
                }
                LOG.infof("deployment %s rollback to %s %s in %d ms (detection-to-rollback %s ms, event %s): %s",
                        d.id, e.data().toVersion(), e.data().outcome(), e.data().durationMs(), detectionMs,
                        completed.id(), e.data().detail());
            } else if (c instanceof Command.EndStepBack e) {
                completed = publish(d, e.data(), now, d.rollbackRequestId, d.rollbackCorrelationId);
                d.rollbackStartedAt = null;
                d.rollbackDetectedAt = null;
                LOG.infof("deployment %s %s (event %s)", d.id, e.data().detail(), completed.id());
            } else if (c instanceof Command.NewRun n) {
                d.stepBackToWeight = null;
                d.stepAttempt++;
                d.currentStep = n.fromStep();
            } else if (c instanceof Command.FallBack f) {
                d.stepBackToWeight = null;
                d.rollbackToVersion = f.toVersion();
                d.statusReason = f.reason().length() <= 2000 ? f.reason() : f.reason().substring(0, 1990) + "…";
                d.updatedAt = now;
                LOG.warnf("deployment %s rolls back to %s instead: %s", d.id, f.toVersion(), f.reason());
            } else if (c instanceof Command.StartStep s) {
                step = events.startStep(d, s.index(), s.spec(), now);
            } else if (c instanceof Command.CompleteStep s) {
                events.completeStep(d, StepTransitions.about(step, s.index()), s.outcome(), s.detail(), now,
                        s.verdict(), rehearsal);
            } else if (c instanceof Command.RecordWeight w) {
                d.currentWeight = w.weight();
            } else if (c instanceof Command.Resume) {
                d.moveTo(DeploymentStatus.RUNNING, null, now);
            } else if (c instanceof Command.AwaitApproval a) {
                events.awaitApproval(d, a.index(), a.reason(), now);
            } else if (c instanceof Command.Finish f) {
                events.finish(d, f.outcome(), f.reason(), now, completed);
            } else if (c instanceof Command.FinishRollbackFailed f) {
                d.moveTo(DeploymentStatus.ROLLBACK_FAILED, f.reason(), now);
                events.finishAs(d, DeploymentOutcome.FAILED, f.reason(), now, completed);
            } else if (c instanceof Command.Note n) {
                if (!rehearsal) {
                    LOG.info(n.message());
                }
            } else {
                throw new IllegalStateException("deployment " + d.id + ": " + c + " is not a rollback's command");
            }
        }
        StepTransitions.expect(d, t.state());
    }

    private static void remember(Deployment d, Envelope<RollbackRequested> request, Instant started) {
        d.rollbackRequestId = request.id();
        d.rollbackCorrelationId = request.correlationId();
        d.rollbackDetectedAt = request.data().detectedAt();
        d.rollbackStartedAt = started;
        d.rollbackFinishedAt = null;
    }

    /** RollbackCompleted about {@code d}, caused by the request {@code causationId}, in its correlation. */
    private Envelope<RollbackCompleted> publish(Deployment d, RollbackCompleted data, Instant at, String causationId,
            String correlationId) {
        Envelope<RollbackCompleted> completed = new Envelope<>(UUID.randomUUID().toString(), DeploymentService.SOURCE,
                null, d.id.toString(), at, causationId, correlationId != null ? correlationId : d.id.toString(),
                d.id.toString(), data);
        outbox.publish(completed);
        return completed;
    }
}
