package dev.rollwatch.demotarget.domain;

/**
 * A driver's word that a rollout succeeded: {@code version} is now the service's stable version and serves all of
 * its traffic; the canary slot is empty again, ready for the next rollout.
 */
public record FinalizeCommand(String deploymentId, String service, String environment, String version) {
}
