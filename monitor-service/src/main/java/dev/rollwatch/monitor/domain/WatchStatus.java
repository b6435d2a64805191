package dev.rollwatch.monitor.domain;

/**
 * A watch's life: ACTIVE while the rollout runs, BAKING in the window after success, VERIFYING the restored version
 * after a rollback, then STOPPED.
 */
public enum WatchStatus {
    ACTIVE, BAKING, STOPPED, VERIFYING;

    /** Samples are evaluated while the watch is ACTIVE, BAKING or VERIFYING. */
    public boolean isWatching() {
        return this != STOPPED;
    }
}
