package dev.rollwatch.deploy.registry;

import java.time.Instant;
import java.util.List;

/** A registered target as the API shows it: never the signing secret, only whether one is set. */
public record TargetView(String service, String environment, String targetUrl, String metricsUrl,
        List<String> smokeHosts, boolean signingSecretSet, String updatedBy, Instant updatedAt) {

    static TargetView of(ServiceTarget t) {
        return new TargetView(t.service, t.environment, t.targetUrl, t.effectiveMetricsUrl(),
                ServiceTargets.hostsOf(t), t.signingSecret != null, t.updatedBy, t.updatedAt);
    }
}
