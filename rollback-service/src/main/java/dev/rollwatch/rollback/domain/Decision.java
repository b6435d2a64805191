package dev.rollwatch.rollback.domain;

import dev.rollwatch.events.Operator;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.Trigger;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * One decision: about a breach, a manual request, or a stalled rollback. Every decision is kept, including the
 * ones that did nothing, with the rule that fired and the policy version it came from.
 */
@Entity
@Table(name = "decision")
public class Decision {

    @Id
    public UUID id;

    @Column(name = "deployment_id", nullable = false)
    public String deploymentId;

    @Column(nullable = false)
    public String service;

    @Column(nullable = false)
    public String environment;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DecisionAction action;

    @Column(nullable = false)
    public String rule;

    @Column(nullable = false)
    public String reason;

    @Enumerated(EnumType.STRING)
    public Severity severity;

    @Column(name = "check_name")
    public String checkName;

    @Column(name = "breach_event_id")
    public String breachEventId;

    @Column(name = "breach_source")
    public String breachSource;

    @Column(name = "observed_at")
    public Instant observedAt;

    @Column(name = "policy_id")
    public Long policyId;

    @Column(name = "policy_version")
    public Integer policyVersion;

    @Enumerated(EnumType.STRING)
    public Trigger trigger;

    @Column(name = "from_version")
    public String fromVersion;

    @Column(name = "to_version")
    public String toVersion;

    @Column(name = "requested_by")
    public String requestedBy;

    /** For a ROLLBACK: the id of the RollbackRequested event it published. */
    @Column(name = "rollback_event_id")
    public String rollbackEventId;

    /** For ATTACHED and ESCALATED: the ROLLBACK decision this one is about. */
    @Column(name = "related_decision")
    public UUID relatedDecision;

    /** For a ROLLBACK: where it stands. */
    @Enumerated(EnumType.STRING)
    public RollbackStatus status;

    @Column(name = "deadline_at")
    public Instant deadlineAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    @Column(name = "escalated_at")
    public Instant escalatedAt;

    /**
     * For a decision taken by the persistence check: the ALERT (a CONDITIONAL breach below its repeat limit) whose
     * episode stayed open past the policy's window.
     */
    @Column(name = "follows_up")
    public UUID followsUp;

    /** The check definition that judged the breach (ThresholdBreached.ruleVersion), when the monitor named one. */
    @Column(name = "rule_version")
    public String ruleVersion;

    /** For a follow-up decided because the episode recovered: the ThresholdRecovered. */
    @Column(name = "recovery_event_id")
    public String recoveryEventId;

    /** For a follow-up decided because the episode recovered: when it recovered. */
    @Column(name = "recovered_at")
    public Instant recoveredAt;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    /** The policy pack that decided, e.g. {@code runbook@1}. */
    @Column(name = "policy_pack")
    public String policyPack;

    /** The pack entry that decided (its id). */
    @Column(name = "pack_rule")
    public String packRule;

    /** The runbook rule that entry encodes. */
    @Column(name = "seed_rule")
    public String seedRule;

    /** The breach's phase: rollout, bake (after SUCCEEDED) or verification. */
    @Column(name = "phase")
    public String phase;

    /** For an ALERT of a rule that rolls back once sustained: when it rolls back if the episode is still open. */
    @Column(name = "follow_up_at")
    public Instant followUpAt;

    /** When a person must have acted on or acknowledged it: decidedAt + the severity's response target. */
    @Column(name = "respond_by")
    public Instant respondBy;

    /** For CONDITIONAL: the deadline of the person's decision. */
    @Column(name = "decide_by")
    public Instant decideBy;

    /** For CONDITIONAL: who decides (a role). */
    @Column(name = "deciders")
    public String deciders;

    /** For CONDITIONAL: ROLLBACK or HOLD at {@code decideBy} when nobody decided. */
    @Column(name = "default_action")
    public String defaultAction;

    /** For CONDITIONAL: when it was resolved (by a person or by its default action), by whom, and how. */
    @Column(name = "resolved_at")
    public Instant resolvedAt;

    @Column(name = "resolved_by")
    public String resolvedBy;

    @Column(name = "resolution")
    public String resolution;

    @Column(name = "acknowledged_at")
    public Instant acknowledgedAt;

    @Column(name = "acknowledged_by")
    public String acknowledgedBy;

    /** When it was escalated as unanswered past {@code respondBy} (once). */
    @Column(name = "unanswered_escalated_at")
    public Instant unansweredEscalatedAt;

    /** For a ROLLBACK: VERIFIED or UNVERIFIED (RollbackVerified, or RollbackCompleted UNVERIFIED). */
    @Column(name = "verification")
    public String verification;

    @Column(name = "verified_at")
    public Instant verifiedAt;

    @Column(name = "verification_event_id")
    public String verificationEventId;

    @Column(name = "verification_detail")
    public String verificationDetail;

    /** When the unverified rollback was escalated at P0 (once per rollback). */
    @Column(name = "unverified_escalated_at")
    public Instant unverifiedEscalatedAt;

    @Column(name = "decided_at", nullable = false)
    public Instant decidedAt;

    /** For a decision about a measured breach: the deciding measured figure (the last of the breach's observed). */
    @Column(name = "measured")
    public Double measured;

    /** For a decision about a measured breach: the threshold it was compared with. */
    @Column(name = "threshold")
    public Double threshold;

    /** For a decision about a measured breach: the comparison that held, {@code measured <operator> threshold}. */
    @Enumerated(EnumType.STRING)
    @Column(name = "operator")
    public Operator operator;

    public static Decision about(TrackedDeployment d, DecisionAction action, String rule, String reason,
            Instant now) {
        Decision decision = new Decision();
        decision.id = UUID.randomUUID();
        decision.deploymentId = d.deploymentId;
        decision.service = d.service;
        decision.environment = d.environment;
        decision.action = action;
        decision.rule = rule;
        decision.reason = reason.length() > 2000 ? reason.substring(0, 2000) : reason;
        decision.decidedAt = now;
        return decision;
    }

    /** An ESCALATED decision about this rollback: the page-worthy record of a stalled or failed rollback (P1). */
    public Decision escalation(String escalationRule, String escalationReason, Instant now) {
        requireRollback();
        return escalation(escalationRule, escalationReason, Severity.P1, now);
    }

    /** An ESCALATED decision about this decision, at {@code sev}. */
    public Decision escalation(String escalationRule, String escalationReason, Severity sev, Instant now) {
        Decision e = new Decision();
        e.id = UUID.randomUUID();
        e.deploymentId = deploymentId;
        e.service = service;
        e.environment = environment;
        e.action = DecisionAction.ESCALATED;
        e.rule = escalationRule;
        e.reason = escalationReason;
        e.severity = sev;
        e.policyPack = policyPack;
        e.policyId = policyId;
        e.policyVersion = policyVersion;
        e.fromVersion = fromVersion;
        e.toVersion = toVersion;
        e.relatedDecision = id;
        e.decidedAt = now;
        return e;
    }

    /** The figures of the breach it was decided on, when the breach is a measurement against a threshold. */
    public void figures(BreachFacts breach) {
        double value = breach.value();
        if (!Double.isNaN(value) && !BreachFacts.KIND_SMOKE.equals(breach.kind())
                && !BreachFacts.KIND_ANALYSIS_ERROR.equals(breach.kind())) {
            measured = value;
            threshold = breach.threshold();
            operator = breach.operator();
        }
    }

    /** Takes the figures of the decision it follows from (a follow-up, a resolved CONDITIONAL). */
    public void figuresOf(Decision earlier) {
        measured = earlier.measured;
        threshold = earlier.threshold;
        operator = earlier.operator;
    }

    /**
     * For a ROLLBACK decided on a breach: how long after the breach was observed the rollback was decided (its
     * RollbackRequested's {@code detectedAt} is that {@code observedAt}); null otherwise (a manual rollback).
     */
    public Duration detectionToRollback() {
        if (action != DecisionAction.ROLLBACK || observedAt == null) {
            return null;
        }
        return Duration.between(observedAt, decidedAt);
    }

    public boolean isOpenRollback() {
        return action == DecisionAction.ROLLBACK && status != RollbackStatus.COMPLETED
                && status != RollbackStatus.STEPPED_BACK;
    }

    /** The rollback stepped back to a lower weight instead: the deployment runs again, a new rollback may follow. */
    public void steppedBack(Instant at) {
        requireRollback();
        status = RollbackStatus.STEPPED_BACK;
        completedAt = at;
    }

    /** Sets {@code respondBy} from the severity's response target (none for P3 or without a severity). */
    public void respondWithinTarget() {
        if (severity != null && severity.responseTarget() != null) {
            respondBy = decidedAt.plus(severity.responseTarget());
        }
    }

    /** The rollback went through: closes the decision (also after an escalation). */
    public void completed(Instant at) {
        requireRollback();
        status = RollbackStatus.COMPLETED;
        completedAt = at;
    }

    /** Marks the rollback escalated; false if it already was (or completed), so an escalation is recorded once. */
    public boolean escalate(Instant now) {
        requireRollback();
        if (status != RollbackStatus.OPEN) {
            return false;
        }
        status = RollbackStatus.ESCALATED;
        escalatedAt = now;
        return true;
    }

    private void requireRollback() {
        if (action != DecisionAction.ROLLBACK) {
            throw new IllegalStateException("decision " + id + " is " + action + ", not a rollback");
        }
    }
}
