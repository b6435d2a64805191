package dev.rollwatch.demotarget.domain;

/**
 * A driver's instruction to route {@code weight} percent of a service's traffic to {@code canaryVersion} and the
 * rest to {@code stableVersion}.
 */
public record TrafficCommand(String deploymentId, String service, String environment, String stableVersion,
        String canaryVersion, int weight) {
}
