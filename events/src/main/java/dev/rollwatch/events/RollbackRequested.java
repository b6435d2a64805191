package dev.rollwatch.events;

import java.time.Instant;
import java.util.List;

/**
 * The rollback service decided to roll a deployment back. {@code breachEventIds} are the causes;
 * {@code policyRule} and {@code policyVersion} say which rule of which policy fired; {@code detectedAt} is the
 * first breach's {@code observedAt} (absent for a manual rollback). Topic {@code rollback-requested}.
 */
public record RollbackRequested(String service, String environment, Trigger trigger, String reason,
        List<String> breachEventIds, String policyRule, Integer policyVersion, String fromVersion,
        String toVersion, String requestedBy, Instant detectedAt) implements EventData {
    public RollbackRequested {
        Require.text(service, "service");
        Require.text(environment, "environment");
        Require.present(trigger, "trigger");
        Require.text(reason, "reason");
        breachEventIds = Require.list(breachEventIds);
        Require.text(requestedBy, "requestedBy");
    }
}
