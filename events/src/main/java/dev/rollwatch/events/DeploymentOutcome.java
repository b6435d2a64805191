package dev.rollwatch.events;

/** The terminal outcomes of a deployment. */
public enum DeploymentOutcome { SUCCEEDED, ROLLED_BACK, FAILED, ABORTED }
