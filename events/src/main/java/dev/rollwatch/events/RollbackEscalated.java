package dev.rollwatch.events;

import java.time.Instant;

/**
 * A requested rollback did not complete within its deadline, or completed FAILED: a P1, page-worthy event. The
 * rollback decision stays open (a late success still closes it). {@code rule} is {@code rollback-deadline-exceeded}
 * or {@code rollback-failed}. Caused by the RollbackRequested (deadline) or the failed RollbackCompleted.
 * Topic {@code rollback-escalated}, key = deployment id.
 */
public record RollbackEscalated(String service, String environment, String decisionId, String rollbackEventId,
        String rule, Severity severity, Instant requestedAt, Instant deadline, Instant escalatedAt,
        String toVersion, String detail) implements EventData {

    public static final String RULE_DEADLINE_EXCEEDED = "rollback-deadline-exceeded";
    public static final String RULE_FAILED = "rollback-failed";

    public RollbackEscalated {
        Require.text(service, "service");
        Require.text(environment, "environment");
        Require.text(decisionId, "decisionId");
        Require.text(rule, "rule");
        Require.present(severity, "severity");
        Require.present(escalatedAt, "escalatedAt");
    }
}
