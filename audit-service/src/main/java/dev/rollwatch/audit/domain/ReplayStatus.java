package dev.rollwatch.audit.domain;

/** Where a replay is: waiting for the worker, publishing, done, or stopped by an error. */
public enum ReplayStatus {
    PENDING, RUNNING, COMPLETED, FAILED;

    public boolean finished() {
        return this == COMPLETED || this == FAILED;
    }
}
