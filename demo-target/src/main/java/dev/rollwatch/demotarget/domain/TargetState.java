package dev.rollwatch.demotarget.domain;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;

/**
 * What the target currently runs for one service: the stable version and, during a rollout, the canary version
 * and the percentage of traffic it gets.
 *
 * @param canaryVersion {@code null} when no canary is deployed (after a rollback or a finalize, or before any
 *                      rollout)
 * @param weight        percentage of traffic (0..100) routed to the canary version
 */
@JsonPropertyOrder({"service", "stableVersion", "canaryVersion", "weight", "updatedAt"})
public record TargetState(String service, String stableVersion, String canaryVersion, int weight, Instant updatedAt) {

    public static TargetState stable(String service, String version, Instant at) {
        return new TargetState(service, version, null, 0, at);
    }
}
