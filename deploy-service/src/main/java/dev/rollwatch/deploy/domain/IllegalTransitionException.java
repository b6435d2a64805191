package dev.rollwatch.deploy.domain;

import java.util.UUID;

/** A state change the state machine does not allow (e.g. rolling back a finished deployment). */
public class IllegalTransitionException extends RuntimeException {
    private final DeploymentStatus from;

    public IllegalTransitionException(UUID id, DeploymentStatus from, DeploymentStatus to) {
        super("deployment " + id + " is " + from + " and cannot become " + to);
        this.from = from;
    }

    public DeploymentStatus from() {
        return from;
    }
}
