package dev.rollwatch.deploy.domain;

import java.util.EnumSet;
import java.util.Set;

/** The deployment state machine's states. Terminal states never change again. */
public enum DeploymentStatus {
    PENDING, RUNNING, AWAITING_APPROVAL, PAUSED, SUCCEEDED, ROLLING_BACK, ROLLED_BACK, ROLLBACK_FAILED, ABORTED,
    FAILED;

    private static final Set<DeploymentStatus> TERMINAL = EnumSet.of(SUCCEEDED, ROLLED_BACK, ROLLBACK_FAILED,
            ABORTED, FAILED);

    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }

    /** Legal moves; anything else is a bug or a race and is refused. */
    public boolean canMoveTo(DeploymentStatus next) {
        return switch (this) {
            case PENDING -> next == RUNNING || next == ABORTED || next == FAILED;
            case RUNNING -> next == AWAITING_APPROVAL || next == PAUSED || next == SUCCEEDED || next == ROLLING_BACK
                    || next == ABORTED || next == FAILED;
            case AWAITING_APPROVAL, PAUSED -> next == RUNNING || next == ROLLING_BACK || next == ABORTED
                    || next == FAILED;
            case ROLLING_BACK -> next == ROLLED_BACK || next == ROLLBACK_FAILED;
            case SUCCEEDED, ROLLED_BACK, ROLLBACK_FAILED, ABORTED, FAILED -> false;
        };
    }
}
