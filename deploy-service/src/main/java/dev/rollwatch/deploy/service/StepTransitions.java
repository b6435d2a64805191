package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.config.DeployConfig;
import dev.rollwatch.deploy.domain.Deployment;
import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.domain.DeploymentStep;
import dev.rollwatch.deploy.domain.StepStatus;
import dev.rollwatch.deploy.driver.TargetState;
import dev.rollwatch.deploy.repository.DeploymentRepository;
import dev.rollwatch.deploy.repository.StepRepository;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The step engine's short transactions: decide what a deployment needs next, and record what a target call or a
 * smoke run did. Each locks the deployment row (so they serialise with the API and the Kafka consumers), reads a
 * {@link StepMachine.Snapshot}, lets the pure {@link StepMachine} decide, and applies its commands in the same
 * transaction.
 */
@ApplicationScoped
public class StepTransitions {

    private static final Logger LOG = Logger.getLogger(StepTransitions.class);

    private final DeploymentRepository deployments;
    private final StepRepository steps;
    private final DeploymentEvents events;
    private final StepMachine machine;
    private final Clock clock;

    public StepTransitions(DeploymentRepository deployments, StepRepository steps, DeploymentEvents events,
            DeployConfig config, Clock clock) {
        this.deployments = deployments;
        this.steps = steps;
        this.events = events;
        this.machine = new StepMachine(config.engine().analysisGrace());
        this.clock = clock;
    }

    /**
     * Moves the deployment through every step that needs no call (timed pauses, analysis verdicts), starting
     * steps as it reaches them, and returns the first call to make (the finalize call once every step is done), or
     * nothing.
     */
    @Transactional
    public Work next(UUID id) {
        Deployment d = deployments.lock(id).orElse(null);
        if (d == null) {
            return Work.NONE;
        }
        Instant now = now();
        List<StepSpec> plan = DeploymentEvents.plan(d);
        DeploymentStep step = null; // the current step's row once read or started in this transaction
        // Each round that goes on starts a step or moves past one: at most two per step, and the finalize call.
        for (int round = 0; round <= 2 * plan.size() + 1; round++) {
            if (step != null && (step.stepIndex != d.currentStep || step.attempt != d.stepAttempt)) {
                step = null;
            }
            if (step == null && d.status == DeploymentStatus.RUNNING && d.currentStep < plan.size()) {
                step = steps.step(d.id, d.currentStep, d.stepAttempt).orElse(null);
            }
            StepMachine.Step row = step == null ? null : row(d, step, plan);
            StepMachine.Transition t = machine.next(snapshot(d, plan, row), StepMachine.Event.RUN, now);
            DeploymentStep started = apply(d, step, t, now);
            if (!t.again()) {
                return t.work();
            }
            step = started != null ? started : step;
        }
        throw new IllegalStateException("deployment " + id + ": the step machine did not settle in "
                + (2 * plan.size() + 2) + " rounds");
    }

    /** The target confirmed a weight: record it, and close the step if the rollout is still going. */
    @Transactional
    public void weightSet(UUID id, int index, int weight, TargetState state) {
        on(id, index, new StepMachine.Event.WeightSet(index, weight, state.canaryVersion(), state.stableVersion()));
    }

    /** The target refused or never answered a weight change: the step and the deployment fail. */
    @Transactional
    public void weightFailed(UUID id, int index, String problem) {
        on(id, index, new StepMachine.Event.WeightFailed(index, problem));
    }

    /**
     * The target confirmed the finalize: the deployment is SUCCEEDED, if it is still a finished rollout (an abort or
     * a promote on another replica may have come in while the call was in flight; the call is then only a fact).
     */
    @Transactional
    public void finalized(UUID id, TargetState state) {
        on(id, null, new StepMachine.Event.Finalized(state.stableVersion()));
    }

    /**
     * The target refused the finalize (4xx) or never answered it (after the driver's retries): treated like a
     * failed setWeight, the deployment FAILED and never SUCCEEDED. The target is left as the last step put it (the
     * new version at the last weight, as a canary of the previous one).
     */
    @Transactional
    public void finalizeFailed(UUID id, String problem) {
        on(id, null, new StepMachine.Event.FinalizeFailed(problem));
    }

    /**
     * Records a smoke run; a failed check is a P1 signal: the rollout halts for the rollback decision. A smoke step
     * before any setWeight checks the current version (the runbooks' pre-deploy health check): if it fails the
     * deployment FAILS at once, there being no traffic to take back.
     */
    @Transactional
    public void smokeDone(UUID id, int index, SmokeRunner.Result result) {
        on(id, index, new StepMachine.Event.SmokeDone(index, result));
    }

    /** An outcome of a call for step {@code index} (null: the finalize), decided and applied under the row lock. */
    private void on(UUID id, Integer index, StepMachine.Event event) {
        Deployment d = deployments.lock(id).orElseThrow();
        List<StepSpec> plan = DeploymentEvents.plan(d);
        DeploymentStep step = index == null ? null : steps.step(id, index, d.stepAttempt).orElseThrow();
        Instant now = now();
        StepMachine.Transition t = machine.next(snapshot(d, plan, step == null ? null
                : new StepMachine.Step(step.stepIndex, step.status.isOpen(), step.deadline, null, null)), event, now);
        apply(d, step, t, now);
    }

    /** The step's row as the machine sees it; an open ANALYSIS step's verdict is read with it. */
    private StepMachine.Step row(Deployment d, DeploymentStep step, List<StepSpec> plan) {
        StepMachine.Step row = new StepMachine.Step(step.stepIndex, step.status.isOpen(), step.deadline, null, null);
        if (row.open() && step.stepIndex < plan.size() && plan.get(step.stepIndex).kind() == StepKind.ANALYSIS) {
            return steps.verdict(d.id, step.stepIndex, step.attempt)
                    .map(v -> row.withVerdict(v.verdict(), v.detail())).orElse(row);
        }
        return row;
    }

    private static StepMachine.Snapshot snapshot(Deployment d, List<StepSpec> plan, StepMachine.Step step) {
        return snapshot(d, plan, step, null);
    }

    /** The deployment as the machine sees it; {@code newer}: read by the caller for a rollback request only. */
    static StepMachine.Snapshot snapshot(Deployment d, List<StepSpec> plan, StepMachine.Step step,
            StepMachine.Newer newer) {
        // The plan is the strategy's steps, plus the promotion step once promoted (DeploymentEvents.plan).
        int planned = plan.size() - (d.promotedBy != null ? 1 : 0);
        return new StepMachine.Snapshot(d.id, d.status, d.currentStep, d.currentWeight, d.stepAttempt, plan,
                planned, DeploymentEvents.target(d), d.version, d.previousVersion,
                d.rollbackToVersion, d.stepBackToWeight, d.promotedBy, d.promoteReason,
                new StepMachine.Recovery(d.onFailure, d.afterStepBack, d.steppedBackPhase, d.statusReason,
                        d.rollbackDetectedAt, d.rollbackStartedAt, newer), step);
    }

    /**
     * Applies a transition's commands to the locked deployment ({@code step}: the row they are about, if any) and
     * checks the deployment is then in the state the machine said. Returns the step a StartStep started, or null.
     */
    private DeploymentStep apply(Deployment d, DeploymentStep step, StepMachine.Transition t, Instant now) {
        DeploymentStep started = null;
        for (StepMachine.Command c : t.commands()) {
            if (c instanceof StepMachine.Command.StartStep s) {
                started = events.startStep(d, s.index(), s.spec(), now);
                step = started;
            } else if (c instanceof StepMachine.Command.CompleteStep s) {
                events.completeStep(d, about(step, s.index()), s.outcome(), s.detail(), now, s.verdict());
            } else if (c instanceof StepMachine.Command.MoveOn m) {
                d.currentStep = m.index() + 1;
            } else if (c instanceof StepMachine.Command.NoteStep n) {
                about(step, n.index()).detail = n.detail();
            } else if (c instanceof StepMachine.Command.RecordSmoke r) {
                DeploymentStep row = about(step, r.index());
                row.smokePassed = r.passed();
                row.smokeTotal = r.total();
            } else if (c instanceof StepMachine.Command.RecordWeight w) {
                d.currentWeight = w.weight();
            } else if (c instanceof StepMachine.Command.AwaitApproval a) {
                events.awaitApproval(d, a.index(), a.reason(), now);
            } else if (c instanceof StepMachine.Command.Halt h) {
                d.moveTo(DeploymentStatus.PAUSED, h.reason(), now);
            } else if (c instanceof StepMachine.Command.Finish f) {
                events.finish(d, f.outcome(), f.reason(), now, null);
            } else if (c instanceof StepMachine.Command.Note n) {
                LOG.info(n.message());
            }
        }
        expect(d, t.state());
        return started;
    }

    /** The deployment is in the state the machine said, or the transaction fails: a bug, never a silent divergence. */
    static void expect(Deployment d, StepMachine.State state) {
        StepMachine.State after = new StepMachine.State(d.status, d.currentStep, d.currentWeight);
        if (!after.equals(state)) {
            throw new IllegalStateException("deployment " + d.id + ": the step machine said " + state
                    + " but applying its commands gave " + after);
        }
    }

    static DeploymentStep about(DeploymentStep step, int index) {
        if (step == null || step.stepIndex != index) {
            throw new IllegalStateException("no row of step " + index + " at hand");
        }
        return step;
    }

    Instant now() {
        return now(clock);
    }

    /** The engine's time: the injected clock's, at the database's precision. */
    static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
