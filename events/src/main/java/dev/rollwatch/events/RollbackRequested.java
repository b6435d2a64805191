package dev.rollwatch.events;

import java.time.Instant;
import java.util.List;

/**
 * The rollback service decided to roll a deployment back. {@code breachEventIds} are the causes;
 * {@code policyRule} and {@code policyVersion} say which rule of which policy fired; {@code detectedAt} is the
 * first breach's {@code observedAt} (absent for a manual rollback). {@code severity} is the deciding breach's,
 * {@code respondBy} when the rollback must be done by (its response target), {@code policyPack} and {@code seedRule}
 * the pack entry and the runbook rule it encodes. The deployment may be running or, inside its bake window or by an
 * operator's request, already SUCCEEDED: then {@code fromVersion} is the version it made stable. Topic
 * {@code rollback-requested}.
 */
public record RollbackRequested(String service, String environment, Trigger trigger, String reason,
        List<String> breachEventIds, String policyRule, Integer policyVersion, String fromVersion,
        String toVersion, String requestedBy, Instant detectedAt, Severity severity, Instant respondBy,
        String policyPack, String seedRule) implements EventData {

    /** A request without severity, response target or pack reference. */
    public RollbackRequested(String service, String environment, Trigger trigger, String reason,
            List<String> breachEventIds, String policyRule, Integer policyVersion, String fromVersion,
            String toVersion, String requestedBy, Instant detectedAt) {
        this(service, environment, trigger, reason, breachEventIds, policyRule, policyVersion, fromVersion, toVersion,
                requestedBy, detectedAt, null, null, null, null);
    }

    public RollbackRequested {
        Require.text(service, "service");
        Require.text(environment, "environment");
        Require.present(trigger, "trigger");
        Require.text(reason, "reason");
        breachEventIds = Require.list(breachEventIds);
        Require.text(requestedBy, "requestedBy");
    }
}
