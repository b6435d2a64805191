package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.domain.StepStatus;
import dev.rollwatch.deploy.service.StepMachine.Command;
import dev.rollwatch.deploy.service.StepMachine.Event;
import dev.rollwatch.deploy.service.StepMachine.Snapshot;
import dev.rollwatch.deploy.service.StepMachine.State;
import dev.rollwatch.deploy.service.StepMachine.Transition;
import dev.rollwatch.events.DeploymentOutcome;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link StepMachine#next} for the outcomes of the rollout's calls: the weight set or refused, the smoke checks run,
 * the finalize confirmed or refused. An outcome moves the deployment only while it still waits for that call
 * (RUNNING, the step still open, or every step done for the finalize); otherwise it is a fact, recorded or logged, and
 * nothing else moves. As pure as the rest of the machine; {@link StepTransitions} applies the answers.
 */
final class OutcomeDecisions {

    private OutcomeDecisions() {
    }

    static Transition weightSet(Snapshot s, Event.WeightSet w) {
        List<Command> commands = new ArrayList<>();
        commands.add(new Command.RecordWeight(w.weight()));
        int step = s.currentStep();
        if (openStep(s, w.index()) && s.status() == DeploymentStatus.RUNNING) {
            String promotion = w.index() >= s.planned()
                    ? "promoted by " + s.promotedBy() + (s.promoteReason() == null ? "" : " (" + s.promoteReason()
                    + ")") + "; " : "";
            commands.add(new Command.CompleteStep(w.index(), StepStatus.SUCCEEDED, promotion + "target at "
                    + w.weight() + "% (" + (w.canaryVersion() == null ? s.version() : w.canaryVersion()) + " over "
                    + (w.stableVersion() == null ? s.previousVersion() : w.stableVersion()) + ")", null));
            step = Math.max(step, w.index() + 1);
        } else {
            commands.add(new Command.Note("deployment " + s.id() + " step " + w.index() + ": weight " + w.weight()
                    + " confirmed after the deployment became " + s.status()));
        }
        return new Transition(new State(s.status(), step, w.weight()), commands, Work.NONE, false);
    }

    static Transition weightFailed(Snapshot s, Event.WeightFailed f) {
        if (!openStep(s, f.index()) || s.status() != DeploymentStatus.RUNNING) {
            return StepMachine.noted(s, "deployment " + s.id() + " step " + f.index() + ": weight call failed after "
                    + "the deployment became " + s.status() + ": " + f.problem());
        }
        return new Transition(new State(DeploymentStatus.FAILED, s.currentStep(), s.currentWeight()), List.of(
                new Command.CompleteStep(f.index(), StepStatus.FAILED, "target call failed: " + f.problem(), null),
                new Command.Finish(DeploymentOutcome.FAILED, "step " + f.index() + " setWeight failed: "
                        + f.problem())), Work.NONE, false);
    }

    /**
     * A failed check is a P1 signal: the rollout halts for the rollback decision. A smoke step before any setWeight
     * checks the current version (the runbooks' pre-deploy health check): if it fails the deployment FAILS at once,
     * there being no traffic to take back.
     */
    static Transition smokeDone(Snapshot s, Event.SmokeDone d) {
        SmokeRunner.Result result = d.result();
        int index = d.index();
        List<Command> commands = new ArrayList<>();
        commands.add(new Command.RecordSmoke(index, result.passed(), result.total()));
        if (!openStep(s, index) || s.status() != DeploymentStatus.RUNNING) {
            return new Transition(s.state(), commands, Work.NONE, false);
        }
        if (result.allPassed()) {
            commands.add(new Command.CompleteStep(index, StepStatus.SUCCEEDED, result.summary(), null));
            return new Transition(new State(s.status(), Math.max(s.currentStep(), index + 1), s.currentWeight()),
                    commands, Work.NONE, false);
        }
        commands.add(new Command.CompleteStep(index, StepStatus.FAILED, result.summary(), null));
        if (StepPolicy.beforeAnyTraffic(s.plan(), index) && s.currentWeight() == 0) {
            commands.add(new Command.Finish(DeploymentOutcome.FAILED, "step " + index + " pre-deploy check failed: "
                    + "the current version is unhealthy (" + result.firstFailure() + "); no traffic was shifted, "
                    + "nothing to roll back"));
            return new Transition(new State(DeploymentStatus.FAILED, s.currentStep(), s.currentWeight()), commands,
                    Work.NONE, false);
        }
        commands.add(new Command.Halt("step " + index + " smoke check failed (P1): " + result.firstFailure()
                + "; awaiting the rollback decision"));
        return new Transition(new State(DeploymentStatus.PAUSED, s.currentStep(), s.currentWeight()), commands,
                Work.NONE, false);
    }

    /**
     * The finalize call's answer counts only if the deployment is still a finished rollout (an abort or a promote on
     * another replica may have come in while the call was in flight; the call is then only a fact).
     */
    static Transition finalized(Snapshot s, Event.Finalized f) {
        if (!awaitingFinalize(s)) {
            return StepMachine.noted(s, "deployment " + s.id() + ": finalize confirmed after the deployment became "
                    + s.status() + " at step " + s.currentStep());
        }
        return new Transition(new State(DeploymentStatus.SUCCEEDED, s.currentStep(), s.currentWeight()), List.of(
                new Command.Note("deployment " + s.id() + ": target finalized, " + (f.stableVersion() == null
                        ? s.version() : f.stableVersion()) + " is the stable version of " + s.target().service()),
                new Command.Finish(DeploymentOutcome.SUCCEEDED, null)), Work.NONE, false);
    }

    /**
     * A refused or unanswered finalize is treated like a failed setWeight: FAILED, never SUCCEEDED; the target is
     * left as the last step put it (the new version at the last weight, as a canary of the previous one).
     */
    static Transition finalizeFailed(Snapshot s, Event.FinalizeFailed f) {
        if (!awaitingFinalize(s)) {
            return StepMachine.noted(s, "deployment " + s.id() + ": finalize failed after the deployment became "
                    + s.status() + ": " + f.problem());
        }
        return new Transition(new State(DeploymentStatus.FAILED, s.currentStep(), s.currentWeight()), List.of(
                new Command.Finish(DeploymentOutcome.FAILED, "finalize failed: " + f.problem() + "; the target was "
                        + "left at " + s.currentWeight() + "% of " + s.version())), Work.NONE, false);
    }

    /** RUNNING with every step of its plan (the promotion step included) done. */
    private static boolean awaitingFinalize(Snapshot s) {
        return s.status() == DeploymentStatus.RUNNING && s.currentStep() >= s.plan().size();
    }

    private static boolean openStep(Snapshot s, int index) {
        if (s.step() == null || s.step().index() != index) {
            throw new IllegalArgumentException("the snapshot of deployment " + s.id() + " lacks step " + index);
        }
        return s.step().open();
    }
}
