package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.domain.StepStatus;
import dev.rollwatch.deploy.service.StepMachine.Command;
import dev.rollwatch.deploy.service.StepMachine.Event;
import dev.rollwatch.deploy.service.StepMachine.Snapshot;
import dev.rollwatch.deploy.service.StepMachine.State;
import dev.rollwatch.deploy.service.StepMachine.Transition;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link StepMachine#next} for a rollback's events: what a rollback request does in each status, and what each
 * outcome of the rollback or step-back call records. As pure as the rest of the machine; {@link RollbackExecutor}
 * applies the answers.
 * <p>
 * A rollback request is executed once: a second one for a deployment already ROLLING_BACK does nothing more, nor
 * does one for a deployment that ended otherwise than SUCCEEDED. A SUCCEEDED deployment (a breach in its bake
 * window, or an operator) is rolled back unless a newer deployment of its service and environment started since. A
 * rollout in progress steps back instead when its strategy says {@code onFailure: stepBack}
 * ({@link StepPolicy#stepBack}). An outcome counts only while the deployment is still ROLLING_BACK for that kind of
 * call; a rollback whose restored version fails its health probe is UNVERIFIED, not SUCCEEDED.
 */
final class RollbackDecisions {

    private RollbackDecisions() {
    }

    static Transition requested(Snapshot s, Event.RollbackRequested r) {
        if (s.status() == DeploymentStatus.ROLLING_BACK
                || (s.status().isTerminal() && s.status() != DeploymentStatus.SUCCEEDED)) {
            return StepMachine.noted(s, "rollback " + r.requestId() + " for deployment " + s.id()
                    + " ignored: already " + s.status());
        }
        String toVersion = r.toVersion() != null ? r.toVersion() : s.previousVersion();
        List<Command> commands = new ArrayList<>();
        if (s.status() == DeploymentStatus.SUCCEEDED) {
            StepMachine.Newer newer = s.recovery().newer();
            if (toVersion == null) {
                return refused(s, toVersion, "no previous version of " + s.target().service() + " in "
                        + s.target().environment() + " to roll back to");
            }
            if (newer != null) {
                return refused(s, toVersion, "superseded by deployment " + newer.id() + " (" + newer.version() + ", "
                        + newer.status() + "): rolling " + s.target().service() + " back to " + toVersion
                        + " would undo it; roll back the newer deployment instead");
            }
        } else {
            Optional<StepPolicy.StepBack> back = StepPolicy.stepBack(s.plan().subList(0, s.planned()),
                    s.recovery().onFailure(), r.trigger(), s.promotedBy() != null, s.currentStep(),
                    s.currentWeight(), s.recovery().steppedBackPhase());
            if (back.isPresent()) {
                int toWeight = back.get().toWeight();
                stopOpenStep(s, "stopped by step back: " + r.reason(), commands);
                commands.add(new Command.StepBack(toWeight, back.get().phaseStart(), "stepping back from "
                        + s.currentWeight() + "% to " + toWeight + "%: " + r.reason()));
                commands.add(new Command.Note("deployment " + s.id() + " stepping back from " + s.currentWeight()
                        + "% to " + toWeight + "% (request " + r.requestId() + "): " + r.reason()));
                return new Transition(rollingBack(s), commands, new Work.StepBack(s.target(), toWeight,
                        WebhookIds.stepBack(s.id(), s.attempt())), false);
            }
            stopOpenStep(s, "stopped by rollback: " + r.reason(), commands);
        }
        commands.add(new Command.RollBack(toVersion, r.reason()));
        commands.add(new Command.Note("deployment " + s.id() + " rolling back to " + toVersion + " at weight "
                + s.currentWeight() + " (request " + r.requestId() + "): " + r.reason()));
        return new Transition(rollingBack(s), commands, new Work.Rollback(s.target(), toVersion,
                WebhookIds.rollback(s.id())), false);
    }

    /** ROLLED_BACK at weight 0; UNVERIFIED still ends ROLLED_BACK (the target did roll back; rollback escalates). */
    static Transition rolledBack(Snapshot s, Event.RolledBack e, Instant now) {
        if (!rollingBack(s, false)) {
            return late(s, "rollback done (" + e.detail() + ")");
        }
        boolean verified = e.health().up();
        RollbackCompleted data = new RollbackCompleted(s.target().service(), s.target().environment(),
                verified ? RollbackOutcome.SUCCEEDED : RollbackOutcome.UNVERIFIED, s.rollbackToVersion(),
                durationMs(s, now), detectionMs(s, now), e.detail(), null, e.health().detail());
        String reason = s.recovery().statusReason()
                + (verified ? "" : " (rollback UNVERIFIED: " + e.health().detail() + ")");
        return new Transition(new State(DeploymentStatus.ROLLED_BACK, s.currentStep(), 0), List.of(
                new Command.RecordWeight(0), new Command.EndRollback(data),
                new Command.Finish(DeploymentOutcome.ROLLED_BACK, reason)), Work.NONE, false);
    }

    /** ROLLBACK_FAILED, the target left where the failed call left it. */
    static Transition rollbackFailed(Snapshot s, Event.RollbackFailed f, Instant now) {
        if (!rollingBack(s, false)) {
            return late(s, "rollback failed (" + f.problem() + ")");
        }
        RollbackCompleted data = new RollbackCompleted(s.target().service(), s.target().environment(),
                RollbackOutcome.FAILED, s.rollbackToVersion(), durationMs(s, now), detectionMs(s, now), f.problem(),
                null, null);
        return new Transition(new State(DeploymentStatus.ROLLBACK_FAILED, s.currentStep(), s.currentWeight()),
                List.of(new Command.EndRollback(data), new Command.FinishRollbackFailed("rollback failed: "
                        + f.problem())), Work.NONE, false);
    }

    /**
     * The target is back at the previous phase's weight: a setWeight record of that phase in the new run's history,
     * RollbackCompleted STEPPED_BACK with {@code toWeight}, and the failed phase runs again, at once
     * ({@code afterStepBack: continue}) or once an operator approves ({@code pause}, the default).
     */
    static Transition steppedBack(Snapshot s, Event.SteppedBack b, Instant now) {
        if (!rollingBack(s, true)) {
            return late(s, "step back to " + b.weight() + "% done");
        }
        int phase = s.recovery().steppedBackPhase();
        int previous = phase - 1;
        while (previous > 0 && s.plan().get(previous).kind() != StepKind.SET_WEIGHT) {
            previous--;
        }
        String stepped = "stepped back from " + s.currentWeight() + "% to " + b.weight() + "%";
        String why = s.recovery().statusReason();
        boolean continues = DeploymentStarted.AFTER_STEP_BACK_CONTINUE.equals(s.recovery().afterStepBack());
        RollbackCompleted data = new RollbackCompleted(s.target().service(), s.target().environment(),
                RollbackOutcome.STEPPED_BACK, null, durationMs(s, now), detectionMs(s, now), stepped
                + "; phase from step " + phase + " " + (continues ? "retried at once"
                : "waits for an operator to retry (approve) or abort"), b.weight(), null);
        List<Command> commands = new ArrayList<>(List.of(new Command.RecordWeight(b.weight()),
                new Command.NewRun(phase), new Command.StartStep(previous, StepSpec.setWeight(b.weight())),
                new Command.CompleteStep(previous, StepStatus.SUCCEEDED, stepped + " (" + why + ")", null),
                new Command.EndStepBack(data)));
        commands.add(continues ? new Command.Resume() : new Command.AwaitApproval(phase, stepped + " (" + why
                + "); approve to retry the phase, or abort"));
        return new Transition(new State(continues ? DeploymentStatus.RUNNING : DeploymentStatus.AWAITING_APPROVAL,
                phase, b.weight()), commands, Work.NONE, true);
    }

    /** The step back's traffic call failed: the full rollback to the previous version instead. */
    static Transition stepBackFailed(Snapshot s, Event.StepBackFailed f) {
        if (!rollingBack(s, true)) {
            return late(s, "step back failed (" + f.problem() + ")");
        }
        return new Transition(s.state(), List.of(new Command.FallBack(s.previousVersion(), "step back failed ("
                + f.problem() + "), rolling back: " + s.recovery().statusReason())),
                new Work.Rollback(s.target(), s.previousVersion(), WebhookIds.rollback(s.id())), false);
    }

    private static Transition refused(Snapshot s, String toVersion, String why) {
        return new Transition(s.state(), List.of(new Command.Refuse(new RollbackCompleted(s.target().service(),
                s.target().environment(), RollbackOutcome.FAILED, toVersion, 0, null, why))), Work.NONE, false);
    }

    /** The open step, if any, is closed ABORTED: the rollout stops there. */
    private static void stopOpenStep(Snapshot s, String why, List<Command> commands) {
        if (s.step() != null && s.step().open()) {
            commands.add(new Command.CompleteStep(s.step().index(), StepStatus.ABORTED, why, null));
        }
    }

    private static State rollingBack(Snapshot s) {
        return new State(DeploymentStatus.ROLLING_BACK, s.currentStep(), s.currentWeight());
    }

    /** Whether the deployment is still ROLLING_BACK for a step back ({@code stepBack}) or for a full rollback. */
    private static boolean rollingBack(Snapshot s, boolean stepBack) {
        return s.status() == DeploymentStatus.ROLLING_BACK && (s.stepBackToWeight() != null) == stepBack;
    }

    /** An outcome for a call the deployment no longer waits for: only a fact. */
    private static Transition late(Snapshot s, String what) {
        return StepMachine.noted(s, "deployment " + s.id() + ": " + what + " after the deployment became "
                + s.status() + (s.stepBackToWeight() != null ? " (stepping back)" : ""));
    }

    private static long durationMs(Snapshot s, Instant now) {
        Instant started = s.recovery().startedAt();
        return Duration.between(started != null ? started : now, now).toMillis();
    }

    private static Long detectionMs(Snapshot s, Instant now) {
        Instant detected = s.recovery().detectedAt();
        return detected == null ? null : Duration.between(detected, now).toMillis();
    }
}
