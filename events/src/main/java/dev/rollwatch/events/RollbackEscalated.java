package dev.rollwatch.events;

import java.time.Instant;

/**
 * Something that needed to happen did not: a requested rollback did not complete within its deadline
 * ({@code rollback-deadline-exceeded}, P1) or completed FAILED ({@code rollback-failed}, P1); a rollback completed
 * but the restored version is not healthy ({@code rollback-unverified}, P0: the incident is still on); or a decision
 * was neither acted on nor acknowledged within its severity's response target ({@code decision-unanswered}, at the
 * decision's severity, {@code deadline} = its respondBy). The rollback decision stays open (a late success still
 * closes it). Caused by the RollbackRequested (deadline), the RollbackCompleted or RollbackVerified, or the
 * unanswered decision's event. Topic {@code rollback-escalated}, key = deployment id.
 */
public record RollbackEscalated(String service, String environment, String decisionId, String rollbackEventId,
        String rule, Severity severity, Instant requestedAt, Instant deadline, Instant escalatedAt,
        String toVersion, String detail) implements EventData {

    public static final String RULE_DEADLINE_EXCEEDED = "rollback-deadline-exceeded";
    public static final String RULE_FAILED = "rollback-failed";
    public static final String RULE_UNVERIFIED = "rollback-unverified";
    public static final String RULE_UNANSWERED = "decision-unanswered";

    public RollbackEscalated {
        Require.text(service, "service");
        Require.text(environment, "environment");
        Require.text(decisionId, "decisionId");
        Require.text(rule, "rule");
        Require.present(severity, "severity");
        Require.present(escalatedAt, "escalatedAt");
    }
}
