package dev.rollwatch.rollback.domain;

/** The life of a ROLLBACK decision after the request went out. */
public enum RollbackStatus {
    /** Requested, RollbackCompleted not yet seen, deadline not passed. */
    OPEN,
    /** RollbackCompleted(SUCCEEDED) arrived. */
    COMPLETED,
    /** The deadline passed or the rollback FAILED: escalated, and still open until a success arrives. */
    ESCALATED,
    /**
     * RollbackCompleted(STEPPED_BACK): the strategy stepped back to the previous phase's weight instead of rolling
     * back; the deployment runs again and a later breach may request a new rollback.
     */
    STEPPED_BACK
}
