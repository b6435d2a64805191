package dev.rollwatch.rollback.domain;

import dev.rollwatch.events.Severity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One version of the policy of a scope ({@code service}/{@code environment}, {@code *} for any). Rows are
 * append-only: a change is a new row with the next version, so every version a decision cites stays readable.
 */
@Entity
@Table(name = "policy")
public class Policy {

    public static final String ANY = "*";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String service;

    @Column(nullable = false)
    public String environment;

    @Column(nullable = false)
    public int version;

    @Enumerated(EnumType.STRING)
    @Column(name = "p0_action", nullable = false)
    public SeverityAction p0Action;

    @Enumerated(EnumType.STRING)
    @Column(name = "p1_action", nullable = false)
    public SeverityAction p1Action;

    @Enumerated(EnumType.STRING)
    @Column(name = "p2_action", nullable = false)
    public SeverityAction p2Action;

    @Enumerated(EnumType.STRING)
    @Column(name = "p3_action", nullable = false)
    public SeverityAction p3Action;

    @Column(name = "repeat_count", nullable = false)
    public int repeatCount;

    @Column(name = "repeat_window_ms", nullable = false)
    public long repeatWindowMs;

    @Column(name = "auto_rollback", nullable = false)
    public boolean autoRollback;

    /** Holds every automatic rollback (page instead); called {@code freeze} before issue 15. */
    @Column(name = "rollback_hold", nullable = false)
    public boolean rollbackHold;

    /** The policy pack in force, e.g. {@code runbook@1}. */
    @Column(name = "policy_pack", nullable = false)
    public String pack;

    /** Per pack rule id, the durations this policy replaces: JSON {@code {"outage": {"sustainedFor": "15s"}}}. */
    @Column(name = "overrides", nullable = false)
    public String overrides;

    /** ROLLBACK or HOLD: what a CONDITIONAL decision does when nobody decided in time. */
    @Column(name = "conditional_default", nullable = false)
    public String conditionalDefault;

    /** Who decides CONDITIONAL decisions (a role). */
    @Column(name = "deciders", nullable = false)
    public String deciders;

    @Column(name = "rollback_deadline_ms", nullable = false)
    public long rollbackDeadlineMs;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "change_reason", nullable = false)
    public String changeReason;

    public Map<Severity, SeverityAction> actions() {
        return Map.of(Severity.P0, p0Action, Severity.P1, p1Action, Severity.P2, p2Action, Severity.P3, p3Action);
    }

    public PolicyRules rules() {
        return new PolicyRules(id, version, actions(), repeatCount, Duration.ofMillis(repeatWindowMs), autoRollback,
                rollbackHold, Duration.ofMillis(rollbackDeadlineMs), pack, RuleOverrides.fromJson(overrides),
                conditionalDefault, deciders);
    }

    /** How specific the scope is: exact service and environment beat a service-wide policy, which beats the rest. */
    public int specificity() {
        return (ANY.equals(service) ? 0 : 2) + (ANY.equals(environment) ? 0 : 1);
    }

    /** The next version of this scope, with other rules. */
    public Policy next(PolicyRules rules, String by, String reason, Instant now) {
        Policy p = new Policy();
        p.service = service;
        p.environment = environment;
        p.version = version + 1;
        return p.with(rules, by, reason, now);
    }

    public static Policy first(String service, String environment, PolicyRules rules, String by, String reason,
            Instant now) {
        Policy p = new Policy();
        p.service = service;
        p.environment = environment;
        p.version = 1;
        return p.with(rules, by, reason, now);
    }

    private Policy with(PolicyRules rules, String by, String reason, Instant now) {
        p0Action = rules.actionFor(Severity.P0);
        p1Action = rules.actionFor(Severity.P1);
        p2Action = rules.actionFor(Severity.P2);
        p3Action = rules.actionFor(Severity.P3);
        repeatCount = rules.repeatCount();
        repeatWindowMs = rules.repeatWindow().toMillis();
        autoRollback = rules.autoRollback();
        rollbackHold = rules.rollbackHold();
        pack = rules.pack();
        overrides = RuleOverrides.toJson(rules.overrides());
        conditionalDefault = rules.conditionalDefault();
        deciders = rules.deciders();
        rollbackDeadlineMs = rules.rollbackDeadline().toMillis();
        createdBy = by;
        changeReason = reason;
        createdAt = now;
        return this;
    }
}
