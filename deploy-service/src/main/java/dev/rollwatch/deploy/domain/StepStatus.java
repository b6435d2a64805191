package dev.rollwatch.deploy.domain;

/** Where one step of a deployment is. RUNNING covers a step waiting (for a deadline, a verdict or an approval). */
public enum StepStatus {
    RUNNING, SUCCEEDED, FAILED, SKIPPED, ABORTED;

    public boolean isOpen() {
        return this == RUNNING;
    }
}
