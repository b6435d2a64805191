package dev.rollwatch.deploy.service;

import java.util.UUID;

/**
 * Fired in a transaction that gave the engine something to do; the engine reacts once it commits. {@code rollback}:
 * the deployment is now ROLLING_BACK, and the engine's rollback workers take it.
 */
public record EngineWake(UUID deploymentId, boolean rollback) {

    public EngineWake(UUID deploymentId) {
        this(deploymentId, false);
    }

    public static EngineWake rollback(UUID deploymentId) {
        return new EngineWake(deploymentId, true);
    }
}
