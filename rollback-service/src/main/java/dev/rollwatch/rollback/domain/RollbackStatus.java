package dev.rollwatch.rollback.domain;

/** The life of a ROLLBACK decision after the request went out. */
public enum RollbackStatus {
    /** Requested, RollbackCompleted not yet seen, deadline not passed. */
    OPEN,
    /** RollbackCompleted(SUCCEEDED) arrived. */
    COMPLETED,
    /** The deadline passed or the rollback FAILED: escalated, and still open until a success arrives. */
    ESCALATED
}
