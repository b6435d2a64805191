package dev.rollwatch.events;

/** How a step ended. */
public enum StepOutcome { SUCCEEDED, FAILED, SKIPPED, ABORTED }
