package dev.rollwatch.rollback.domain;

/** Where a deployment stands, as far as rollback decisions go. */
public enum DeploymentState {
    /** Started (or known only from a breach) and not finished. */
    ACTIVE,
    /** A rollback was requested and the deployment has not finished yet. */
    ROLLING_BACK,
    /** DeploymentFinished arrived: nothing left to roll back. */
    FINISHED
}
