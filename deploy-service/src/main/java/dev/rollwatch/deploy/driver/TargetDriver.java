package dev.rollwatch.deploy.driver;

/**
 * Moves a target. Implementations are idempotent per {@code messageId}: the caller derives it from the deployment
 * and the step, so a call repeated after a crash or a retry is recognised by the target and not applied twice.
 * Calls block (with bounded retries) and must be made outside any database transaction.
 */
public interface TargetDriver {

    /** The target type this driver serves, as in a deployment's {@code target.type}. */
    String type();

    /** Routes {@code weight}% of the service's traffic to the canary. */
    TargetState setWeight(DeploymentTarget target, int weight, String messageId);

    /** Removes the canary: all traffic goes to {@code toVersion}. */
    TargetState rollback(DeploymentTarget target, String toVersion, String messageId);

    /**
     * Ends a successful rollout: {@code version} becomes the target's stable version with all the traffic, and the
     * canary slot is empty for the next rollout. Sent once the last step is done, before the deployment is
     * recorded SUCCEEDED, so the target never keeps running the new version as a canary of the old one.
     */
    TargetState finalize(DeploymentTarget target, String version, String messageId);

    /** Whether the target answers its health probe. */
    Health health(DeploymentTarget target);

    record Health(boolean up, String detail) {
    }
}
