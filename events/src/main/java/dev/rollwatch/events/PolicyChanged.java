package dev.rollwatch.events;

import java.time.Instant;

/**
 * A rollback policy got a new version. {@code service}/{@code environment} is the policy's scope ({@code *} means
 * any; {@code * / *} is the global default); {@code rules} is the full content of the new version. Topic
 * {@code policy-changes}, key = {@code <service>/<environment>} (also the subject).
 */
public record PolicyChanged(String service, String environment, Long policyId, int version, PolicyContent rules,
        String changedBy, String reason, Instant changedAt) implements EventData {

    public PolicyChanged {
        Require.text(service, "service");
        Require.text(environment, "environment");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, was " + version);
        }
        Require.present(rules, "rules");
        Require.text(changedBy, "changedBy");
        Require.text(reason, "reason");
        Require.present(changedAt, "changedAt");
    }

    /** The Kafka key (and subject) of a policy scope's events. */
    public static String key(String service, String environment) {
        return service + "/" + environment;
    }
}
