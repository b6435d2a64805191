package dev.rollwatch.deploy.service;

import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.events.Trigger;
import dev.rollwatch.events.Verdict;

import java.util.List;
import java.util.Optional;

/** The engine's decisions that depend on nothing but their inputs, kept pure so they are tested directly. */
public final class StepPolicy {

    private StepPolicy() {
    }

    /** What an analysis step's verdict does to the rollout. */
    public enum Decision {
        /** The step succeeded: go on to the next. */
        ADVANCE,
        /** Stop here (PAUSED) and wait for the rollback service's decision. */
        HALT,
        /** A human decides (AWAITING_APPROVAL): the measurements do not. */
        AWAIT_APPROVAL
    }

    public static Decision onVerdict(Verdict verdict) {
        return switch (verdict) {
            case SUCCESSFUL -> Decision.ADVANCE;
            case FAILED, ERROR -> Decision.HALT;
            case INCONCLUSIVE -> Decision.AWAIT_APPROVAL;
        };
    }

    /** Whether a timed step is over at {@code now}: a pause at its deadline, an analysis after deadline + grace. */
    public static boolean due(java.time.Instant deadline, java.time.Duration grace, java.time.Instant now) {
        return deadline != null && !now.isBefore(deadline.plus(grace));
    }

    /** A step back: re-run the phase that began at step {@code phaseStart}, after going back to {@code toWeight}. */
    public record StepBack(int phaseStart, int toWeight) {
    }

    /**
     * Whether a rollback request for a rollout still in progress steps back instead (runbook 004 phase 2: "Reduce
     * traffic back to 5%", "Retry Phase 2"): only when the strategy says {@code stepBack}, the request is automatic
     * (an operator asking for a rollback gets one), the rollout was not promoted, the deployment is in a phase above
     * its first weight (the phase begins at the last setWeight step at or before {@code currentStep} whose weight
     * the target confirmed), and that phase has not stepped back before (a second failure rolls back). The step
     * back goes to the weight of the setWeight step before the phase's.
     */
    public static Optional<StepBack> stepBack(List<StepSpec> plan, String onFailure, Trigger trigger, boolean promoted,
            int currentStep, int currentWeight, Integer steppedBackPhase) {
        if (!DeploymentStarted.ON_FAILURE_STEP_BACK.equals(onFailure) || trigger != Trigger.AUTOMATIC || promoted
                || plan.isEmpty()) {
            return Optional.empty();
        }
        int phaseStart = -1;
        for (int i = Math.min(currentStep, plan.size() - 1); i >= 0; i--) {
            StepSpec s = plan.get(i);
            if (s.kind() == StepKind.SET_WEIGHT && s.weight() == currentWeight) {
                phaseStart = i;
                break;
            }
        }
        if (phaseStart < 0 || Integer.valueOf(phaseStart).equals(steppedBackPhase)) {
            return Optional.empty();
        }
        for (int i = phaseStart - 1; i >= 0; i--) {
            if (plan.get(i).kind() == StepKind.SET_WEIGHT) {
                return Optional.of(new StepBack(phaseStart, plan.get(i).weight()));
            }
        }
        return Optional.empty(); // the first weight: nothing to step back to
    }

    /** Whether step {@code index} comes before every setWeight step of the plan (no traffic has moved yet). */
    public static boolean beforeAnyTraffic(List<StepSpec> plan, int index) {
        for (int i = 0; i < index && i < plan.size(); i++) {
            if (plan.get(i).kind() == StepKind.SET_WEIGHT) {
                return false;
            }
        }
        return true;
    }
}
