package dev.rollwatch.demotarget.domain;

/** A driver's instruction to remove the canary and serve all of a service's traffic from {@code toVersion}. */
public record RollbackCommand(String deploymentId, String service, String environment, String toVersion) {
}
