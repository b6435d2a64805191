package dev.rollwatch.rollback.rest;

import dev.rollwatch.events.Operator;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.Trigger;
import dev.rollwatch.rollback.domain.Decision;
import dev.rollwatch.rollback.domain.DecisionAction;
import dev.rollwatch.rollback.domain.RollbackStatus;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A decision as the API shows it: what was decided, by which rule of which policy version, and why; for a decision
 * about a measured breach the figures it was taken on ({@code measured} {@code operator} {@code threshold}), and for
 * a ROLLBACK decided on a breach {@code detectionToRollbackMs}: breach observed → rollback decided.
 */
public record DecisionView(UUID id, String deploymentId, String service, String environment, DecisionAction action,
        String rule, String reason, Severity severity, String check, String breachEventId, Instant observedAt,
        Long policyId, Integer policyVersion, Trigger trigger, String fromVersion, String toVersion,
        String requestedBy, String rollbackEventId, UUID relatedDecision, RollbackStatus status, Instant deadlineAt,
        Instant completedAt, Instant escalatedAt, UUID followsUp, String ruleVersion, String recoveryEventId,
        Instant recoveredAt, String phase, String policyPack, String packRule, String seedRule, Instant followUpAt,
        Instant respondBy, Instant decideBy, String deciders, String defaultAction, Instant resolvedAt,
        String resolvedBy, String resolution, Instant acknowledgedAt, String acknowledgedBy,
        Instant unansweredEscalatedAt, String verification, Instant verifiedAt, String verificationDetail,
        Instant unverifiedEscalatedAt, Instant decidedAt, Double measured, Double threshold, Operator operator,
        Long detectionToRollbackMs) {

    static DecisionView of(Decision d) {
        return new DecisionView(d.id, d.deploymentId, d.service, d.environment, d.action, d.rule, d.reason,
                d.severity, d.checkName, d.breachEventId, d.observedAt, d.policyId, d.policyVersion, d.trigger,
                d.fromVersion, d.toVersion, d.requestedBy, d.rollbackEventId, d.relatedDecision, d.status,
                d.deadlineAt, d.completedAt, d.escalatedAt, d.followsUp, d.ruleVersion, d.recoveryEventId, d.recoveredAt,
                d.phase, d.policyPack, d.packRule, d.seedRule, d.followUpAt, d.respondBy, d.decideBy, d.deciders,
                d.defaultAction, d.resolvedAt, d.resolvedBy, d.resolution, d.acknowledgedAt, d.acknowledgedBy,
                d.unansweredEscalatedAt, d.verification, d.verifiedAt, d.verificationDetail, d.unverifiedEscalatedAt,
                d.decidedAt, d.measured, d.threshold, d.operator,
                d.detectionToRollback() == null ? null : d.detectionToRollback().toMillis());
    }

    /** One page of decisions, newest first. */
    public record Page(List<DecisionView> items, int page, int size, long total) {
    }
}
