package dev.rollwatch.deploy.domain;

import java.util.UUID;

/** A state change the state machine does not allow (e.g. rolling back a finished deployment). */
public class IllegalTransitionException extends RuntimeException {
    private final DeploymentStatus from;

    public IllegalTransitionException(UUID id, DeploymentStatus from, DeploymentStatus to) {
        super("deployment " + id + " is " + from + " and cannot become " + to);
        this.from = from;
    }

    /** An operator action the deployment's state does not allow, e.g. approving one that is not at a gate. */
    public IllegalTransitionException(UUID id, DeploymentStatus from, String action) {
        super("deployment " + id + " is " + from + ": cannot " + action);
        this.from = from;
    }

    public DeploymentStatus from() {
        return from;
    }
}
