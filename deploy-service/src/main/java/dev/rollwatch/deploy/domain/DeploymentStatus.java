package dev.rollwatch.deploy.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * The deployment state machine's states. Terminal states never change again, except SUCCEEDED, which a rollback
 * may still take back (ROLLING_BACK, then ROLLED_BACK).
 */
public enum DeploymentStatus {
    PENDING, RUNNING, AWAITING_APPROVAL, PAUSED, SUCCEEDED, ROLLING_BACK, ROLLED_BACK, ROLLBACK_FAILED, ABORTED,
    FAILED;

    private static final Set<DeploymentStatus> TERMINAL = EnumSet.of(SUCCEEDED, ROLLED_BACK, ROLLBACK_FAILED,
            ABORTED, FAILED);

    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }

    /**
     * Legal moves; anything else is a bug or a race and is refused. Issue 15 added three: SUCCEEDED → ROLLING_BACK
     * (a breach in the bake window or an operator rolls back a finished rollout; the only way out of a terminal
     * state), and ROLLING_BACK → RUNNING / AWAITING_APPROVAL (a step back went to the previous phase's weight and the
     * strategy says {@code continue} / {@code pause}).
     */
    public boolean canMoveTo(DeploymentStatus next) {
        return switch (this) {
            case PENDING -> next == RUNNING || next == ABORTED || next == FAILED;
            case RUNNING -> next == AWAITING_APPROVAL || next == PAUSED || next == SUCCEEDED || next == ROLLING_BACK
                    || next == ABORTED || next == FAILED;
            case AWAITING_APPROVAL, PAUSED -> next == RUNNING || next == ROLLING_BACK || next == ABORTED
                    || next == FAILED;
            case ROLLING_BACK -> next == ROLLED_BACK || next == ROLLBACK_FAILED || next == RUNNING
                    || next == AWAITING_APPROVAL;
            case SUCCEEDED -> next == ROLLING_BACK;
            case ROLLED_BACK, ROLLBACK_FAILED, ABORTED, FAILED -> false;
        };
    }
}
