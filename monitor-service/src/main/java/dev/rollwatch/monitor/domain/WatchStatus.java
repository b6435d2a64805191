package dev.rollwatch.monitor.domain;

/** A watch's life: ACTIVE while the rollout runs, BAKING in the window after success, then STOPPED for good. */
public enum WatchStatus {
    ACTIVE, BAKING, STOPPED;

    /** Samples are evaluated while the watch is ACTIVE or BAKING. */
    public boolean isWatching() {
        return this != STOPPED;
    }
}
