package dev.rollwatch.deploy.service;

import dev.rollwatch.events.Verdict;

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
}
