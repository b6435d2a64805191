package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.domain.StepStatus;
import dev.rollwatch.deploy.driver.DeploymentTarget;
import dev.rollwatch.deploy.driver.TargetDriver;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.events.Trigger;
import dev.rollwatch.events.Verdict;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The step engine's decisions as one pure function: {@link #next(Snapshot, Event, Instant)} takes what the
 * deployment is (a {@link Snapshot} read under its row lock), what happened (an {@link Event}) and the time, and
 * returns the state it is in afterwards and the {@link Command}s that get it there (start or close a step, wait
 * for approval, halt, finish, record a weight) together with the call to make outside the transaction, if any. No
 * repository, no clock, no side effect: {@link StepTransitions} (the rollout's events) and {@link RollbackExecutor}
 * (a rollback's: the request and the outcomes of its call) lock the row, build the snapshot, call this and apply the
 * commands in the same transaction; {@code StepMachineTest} is its table. The outcomes of the rollout's calls are
 * decided by {@link OutcomeDecisions}, the rollback's by {@link RollbackDecisions}; the run (which step, which call,
 * a pause or analysis due) is decided here.
 * <p>
 * A {@link Event.Run} decides one step at a time: when the answer is {@link Transition#again()} (a step was started,
 * or closed without a call, so the rollout moves on) the caller applies it and asks again with a fresh snapshot.
 */
public final class StepMachine {

    private final Duration analysisGrace;

    /** {@code analysisGrace}: how long after an analysis step's deadline a missing verdict is INCONCLUSIVE. */
    public StepMachine(Duration analysisGrace) {
        this.analysisGrace = analysisGrace;
    }

    /**
     * A deployment as the engine sees it under the row lock. {@code plan}: its steps, the promotion step included;
     * {@code planned}: how many of them the strategy has. {@code step}: the row of the step the event is about (for
     * {@link Event.Run} and {@link Event.RollbackRequested} the current step, in the current attempt), null when
     * that step has not started.
     */
    public record Snapshot(UUID id, DeploymentStatus status, int currentStep, int currentWeight, int attempt,
            List<StepSpec> plan, int planned, DeploymentTarget target, String version, String previousVersion,
            String rollbackToVersion, Integer stepBackToWeight, String promotedBy, String promoteReason,
            Recovery recovery, Step step) {

        public Snapshot {
            plan = List.copyOf(plan);
        }

        /** The state after a transition. */
        State state() {
            return new State(status, currentStep, currentWeight);
        }
    }

    /**
     * A step's row: open or closed, its deadline (timed steps), and the analysis verdict recorded for it (null: none
     * yet; only read for an open ANALYSIS step).
     */
    public record Step(int index, boolean open, Instant deadline, Verdict verdict, String verdictDetail) {

        public static Step open(int index, Instant deadline) {
            return new Step(index, true, deadline, null, null);
        }

        public Step withVerdict(Verdict verdict, String detail) {
            return new Step(index, open, deadline, verdict, detail);
        }
    }

    /**
     * What the rollback's decisions read besides the rollout: the strategy's {@code onFailure} and
     * {@code afterStepBack}, the phase that stepped back already (null: none), why the deployment is in its status,
     * when the rollback in progress was detected (null: a manual one) and began, and the newest deployment of the
     * same service and environment created after this one (null: none; read for a {@link Event.RollbackRequested}
     * only).
     */
    public record Recovery(String onFailure, String afterStepBack, Integer steppedBackPhase, String statusReason,
            Instant detectedAt, Instant startedAt, Newer newer) {
    }

    /** A deployment of the same service and environment that started after the one the snapshot is of. */
    public record Newer(UUID id, String version, DeploymentStatus status) {
    }

    /** The part of a deployment a transition changes. */
    public record State(DeploymentStatus status, int currentStep, int currentWeight) {
    }

    /** What happened to the deployment. */
    public sealed interface Event {

        Event RUN = new Run();

        /** The engine asks what the deployment needs next (a tick, a wake after a commit, the next round). */
        record Run() implements Event {
        }

        /** The target confirmed weight {@code weight} for step {@code index}; the versions it reports may be null. */
        record WeightSet(int index, int weight, String canaryVersion, String stableVersion) implements Event {
        }

        /** The target refused or never answered step {@code index}'s weight change. */
        record WeightFailed(int index, String problem) implements Event {
        }

        /** Step {@code index}'s smoke checks ran. */
        record SmokeDone(int index, SmokeRunner.Result result) implements Event {
        }

        /** The target confirmed the finalize; {@code stableVersion} as it reports it (may be null). */
        record Finalized(String stableVersion) implements Event {
        }

        /** The target refused or never answered the finalize. */
        record FinalizeFailed(String problem) implements Event {
        }

        /**
         * The rollback service asked for a rollback ({@code requestId}: its event's id); {@code toVersion} the
         * version it names (null: the deployment's previous version).
         */
        record RollbackRequested(String requestId, Trigger trigger, String toVersion, String reason) implements Event {
        }

        /** The target rolled back; {@code health}: what the restored version's health probe said. */
        record RolledBack(String detail, TargetDriver.Health health) implements Event {
        }

        /** The target refused or never answered the rollback (after the driver's retries). */
        record RollbackFailed(String problem) implements Event {
        }

        /** The target is back at the previous phase's weight, {@code weight}. */
        record SteppedBack(int weight) implements Event {
        }

        /** The target refused or never answered the step back's weight change. */
        record StepBackFailed(String problem) implements Event {
        }
    }

    /** A change to apply in the transaction that read the snapshot, in order. */
    public sealed interface Command {

        /** Start step {@code index} of the current attempt (a StepStarted event; its deadline if timed). */
        record StartStep(int index, StepSpec spec) implements Command {
        }

        /** Close step {@code index} (a StepCompleted event); SUCCEEDED moves the deployment past it. */
        record CompleteStep(int index, StepStatus outcome, String detail, Verdict verdict) implements Command {
        }

        /** Step {@code index} was closed by an earlier transaction that did not advance: move past it. */
        record MoveOn(int index) implements Command {
        }

        /** Set the open step's detail without closing it. */
        record NoteStep(int index, String detail) implements Command {
        }

        /** Record how many of step {@code index}'s smoke checks passed. */
        record RecordSmoke(int index, int passed, int total) implements Command {
        }

        /** The weight the target confirmed: a fact, whatever the deployment is now. */
        record RecordWeight(int weight) implements Command {
        }

        /** AWAITING_APPROVAL at step {@code index}, and an ApprovalRequested event. */
        record AwaitApproval(int index, String reason) implements Command {
        }

        /** PAUSED: the rollout stops for the rollback decision. */
        record Halt(String reason) implements Command {
        }

        /**
         * The deployment ends with {@code outcome} (a DeploymentFinished event, caused by the RollbackCompleted of
         * the same transition if it has one).
         */
        record Finish(DeploymentOutcome outcome, String reason) implements Command {
        }

        /**
         * ROLLING_BACK to {@code toVersion}: a full rollback. The request is remembered (its id, correlation and
         * detection time, and now as the rollback's start) for the RollbackCompleted that ends it.
         */
        record RollBack(String toVersion, String reason) implements Command {
        }

        /**
         * ROLLING_BACK for a step back to {@code toWeight}, the phase that began at step {@code phaseStart} to run
         * again; the request is remembered as for {@link RollBack}.
         */
        record StepBack(int toWeight, int phaseStart, String reason) implements Command {
        }

        /** The request is not executed: RollbackCompleted {@code data} (FAILED), caused by it; nothing else moves. */
        record Refuse(RollbackCompleted data) implements Command {
        }

        /**
         * The rollback is over, done or failed: when it finished, and RollbackCompleted {@code data}, caused by the
         * request that began it.
         */
        record EndRollback(RollbackCompleted data) implements Command {
        }

        /** ROLLBACK_FAILED, with a DeploymentFinished that says FAILED (caused by the RollbackCompleted before it). */
        record FinishRollbackFailed(String reason) implements Command {
        }

        /**
         * A new run of the steps from step {@code fromStep} (re-run steps are new rows): the attempt goes up by one
         * and the step back's weight is cleared.
         */
        record NewRun(int fromStep) implements Command {
        }

        /**
         * The step back is over: RollbackCompleted {@code data} (STEPPED_BACK), caused by the request that began it;
         * its start and detection times are cleared (a next failure is a new one).
         */
        record EndStepBack(RollbackCompleted data) implements Command {
        }

        /** RUNNING again. */
        record Resume() implements Command {
        }

        /** The step back's call failed: roll back fully to {@code toVersion} instead, {@code reason} saying why. */
        record FallBack(String toVersion, String reason) implements Command {
        }

        /** A line for the service log; changes nothing. */
        record Note(String message) implements Command {
        }
    }

    /**
     * The outcome of {@link #next}: the state afterwards, the commands to apply, the call to make once they are
     * committed ({@link Work#NONE}: none), and whether a {@link Event.Run} must be asked again after applying them.
     * For a rollback's events {@link RollbackExecutor} does neither itself: it wakes the engine, whose rollback
     * workers make a {@link Work.Rollback} or {@link Work.StepBack} call (their run derives the same call, with the
     * same webhook-id, from the state committed), and whose forward workers ask again.
     */
    public record Transition(State state, List<Command> commands, Work work, boolean again) {

        public Transition {
            commands = List.copyOf(commands);
        }
    }

    public Transition next(Snapshot s, Event event, Instant now) {
        if (event instanceof Event.WeightSet w) {
            return OutcomeDecisions.weightSet(s, w);
        } else if (event instanceof Event.WeightFailed f) {
            return OutcomeDecisions.weightFailed(s, f);
        } else if (event instanceof Event.SmokeDone d) {
            return OutcomeDecisions.smokeDone(s, d);
        } else if (event instanceof Event.Finalized f) {
            return OutcomeDecisions.finalized(s, f);
        } else if (event instanceof Event.FinalizeFailed f) {
            return OutcomeDecisions.finalizeFailed(s, f);
        } else if (event instanceof Event.RollbackRequested r) {
            return RollbackDecisions.requested(s, r);
        } else if (event instanceof Event.RolledBack r) {
            return RollbackDecisions.rolledBack(s, r, now);
        } else if (event instanceof Event.RollbackFailed f) {
            return RollbackDecisions.rollbackFailed(s, f, now);
        } else if (event instanceof Event.SteppedBack b) {
            return RollbackDecisions.steppedBack(s, b, now);
        } else if (event instanceof Event.StepBackFailed f) {
            return RollbackDecisions.stepBackFailed(s, f);
        }
        return run(s, now);
    }

    private Transition run(Snapshot s, Instant now) {
        if (s.status() == DeploymentStatus.ROLLING_BACK && s.stepBackToWeight() != null) {
            return call(s, new Work.StepBack(s.target(), s.stepBackToWeight(), WebhookIds.stepBack(s.id(),
                    s.attempt())));
        }
        if (s.status() == DeploymentStatus.ROLLING_BACK) {
            return call(s, new Work.Rollback(s.target(), s.rollbackToVersion(), WebhookIds.rollback(s.id())));
        }
        if (s.status() != DeploymentStatus.RUNNING) {
            return waiting(s);
        }
        int index = s.currentStep();
        if (index >= s.plan().size()) {
            // Every step is done. The target hears that the rollout is over before the deployment is SUCCEEDED
            // (Finalized records it), so SUCCEEDED always means the target runs the new version as its stable one.
            return call(s, new Work.Finalize(s.target(), s.version(), WebhookIds.finalize(s.id())));
        }
        StepSpec spec = s.plan().get(index);
        Step step = s.step();
        if (step == null) {
            return new Transition(s.state(), List.of(new Command.StartStep(index, spec)), Work.NONE, true);
        }
        if (!step.open()) {
            return new Transition(new State(s.status(), index + 1, s.currentWeight()),
                    List.of(new Command.MoveOn(index)), Work.NONE, true);
        }
        return switch (spec.kind()) {
            case SET_WEIGHT -> call(s, new Work.SetWeight(index, s.target(), spec.weight(),
                    WebhookIds.traffic(s.id(), index, s.attempt())));
            case SMOKE -> call(s, new Work.Smoke(index, s.target(), spec.checks()));
            case PAUSE -> pause(s, spec, step, now);
            case ANALYSIS -> analysis(s, step, now);
        };
    }

    private Transition pause(Snapshot s, StepSpec spec, Step step, Instant now) {
        if (step.deadline() == null) {
            return awaitApproval(s, step.index(), "go/no-go gate, waiting for approval", List.of());
        }
        if (!StepPolicy.due(step.deadline(), Duration.ZERO, now)) {
            return waiting(s);
        }
        return completed(s, step.index(), "paused " + spec.duration(), null);
    }

    private Transition analysis(Snapshot s, Step step, Instant now) {
        if (step.verdict() == null) {
            if (!StepPolicy.due(step.deadline(), analysisGrace, now)) {
                return waiting(s);
            }
            String detail = "no analysis verdict by " + step.deadline().plus(analysisGrace) + ": INCONCLUSIVE";
            return awaitApproval(s, step.index(), "analysis inconclusive: " + detail,
                    List.of(new Command.NoteStep(step.index(), detail)));
        }
        String detail = "analysis " + step.verdict() + (step.verdictDetail() == null ? "" : ": "
                + step.verdictDetail());
        return switch (StepPolicy.onVerdict(step.verdict())) {
            case ADVANCE -> completed(s, step.index(), detail, step.verdict());
            case HALT -> {
                String reason = "step " + step.index() + " " + detail + "; awaiting the rollback decision";
                yield new Transition(new State(DeploymentStatus.PAUSED, s.currentStep(), s.currentWeight()),
                        List.of(new Command.CompleteStep(step.index(), StepStatus.FAILED, detail, step.verdict()),
                                new Command.Halt(reason)), Work.NONE, false);
            }
            case AWAIT_APPROVAL -> awaitApproval(s, step.index(), "analysis inconclusive: " + detail,
                    List.of(new Command.NoteStep(step.index(), DeploymentEvents.truncate(detail))));
        };
    }

    private static Transition completed(Snapshot s, int index, String detail, Verdict verdict) {
        return new Transition(new State(s.status(), Math.max(s.currentStep(), index + 1), s.currentWeight()),
                List.of(new Command.CompleteStep(index, StepStatus.SUCCEEDED, detail, verdict)), Work.NONE, true);
    }

    private static Transition awaitApproval(Snapshot s, int index, String reason, List<Command> before) {
        List<Command> commands = new ArrayList<>(before);
        commands.add(new Command.AwaitApproval(index, reason));
        return new Transition(new State(DeploymentStatus.AWAITING_APPROVAL, s.currentStep(), s.currentWeight()),
                commands, Work.NONE, false);
    }

    static Transition call(Snapshot s, Work work) {
        return new Transition(s.state(), List.of(), work, false);
    }

    private static Transition waiting(Snapshot s) {
        return new Transition(s.state(), List.of(), Work.NONE, false);
    }

    static Transition noted(Snapshot s, String message) {
        return new Transition(s.state(), List.of(new Command.Note(message)), Work.NONE, false);
    }
}
