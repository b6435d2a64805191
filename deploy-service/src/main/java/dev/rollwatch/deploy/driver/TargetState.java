package dev.rollwatch.deploy.driver;

/** The target's answer: what it now runs. {@code canaryVersion} is null when no canary is deployed. */
public record TargetState(String service, String stableVersion, String canaryVersion, Integer weight) {
}
