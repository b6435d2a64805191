package dev.rollwatch.deploy.driver;

import java.util.UUID;

/** What a driver needs to know about the deployment it drives: where the target is and which versions. */
public record DeploymentTarget(UUID deploymentId, String type, String url, String service, String environment,
        String stableVersion, String canaryVersion) {
}
