package dev.rollwatch.rollback.domain;

import dev.rollwatch.events.Severity;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The rules of one policy version, as the pure evaluation sees it.
 *
 * @param policyId           the policy row (one row per version)
 * @param version            the policy version within its scope
 * @param actions            the matrix rows: what each severity does when the pack's severity rule applies
 * @param repeatCount        breaches of one check within {@code repeatWindow} that make a MONITOR severity roll back
 * @param repeatWindow       the window for {@code repeatCount} (and for a MONITOR episode to persist)
 * @param autoRollback       false: an automatic rollback becomes an alert asking for approval
 * @param rollbackHold       true: hold every automatic rollback, page instead (was {@code freeze})
 * @param rollbackDeadline   how long a requested rollback may take before it is escalated
 * @param pack               the policy pack in force, e.g. {@code runbook@1}
 * @param overrides          per pack rule id, durations that replace the pack's
 * @param conditionalDefault ROLLBACK or HOLD: what a CONDITIONAL decision does when nobody decided in time
 * @param deciders           who decides a CONDITIONAL decision (a role)
 */
public record PolicyRules(long policyId, int version, Map<Severity, SeverityAction> actions, int repeatCount,
        Duration repeatWindow, boolean autoRollback, boolean rollbackHold, Duration rollbackDeadline, String pack,
        Map<String, RuleOverride> overrides, String conditionalDefault, String deciders) {

    public static final String ROLLBACK = "ROLLBACK";
    public static final String HOLD = "HOLD";
    public static final String DEFAULT_DECIDERS = "operator";

    /** Durations of one pack rule that a policy replaces (null: the pack's). */
    public record RuleOverride(Duration sustainedFor, Duration decideWithin, Duration within) {
    }

    public PolicyRules {
        actions = Map.copyOf(actions);
        for (Severity s : Severity.values()) {
            Objects.requireNonNull(actions.get(s), "no action for " + s);
        }
        Objects.requireNonNull(repeatWindow, "repeatWindow");
        Objects.requireNonNull(rollbackDeadline, "rollbackDeadline");
        pack = pack == null ? PolicyPack.RUNBOOK_V1 : pack;
        overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
        conditionalDefault = conditionalDefault == null ? ROLLBACK : conditionalDefault;
        deciders = deciders == null ? DEFAULT_DECIDERS : deciders;
    }

    /** Rules with the pack, no overrides, default ROLLBACK and deciders {@code operator}. */
    public PolicyRules(long policyId, int version, Map<Severity, SeverityAction> actions, int repeatCount,
            Duration repeatWindow, boolean autoRollback, boolean rollbackHold, Duration rollbackDeadline) {
        this(policyId, version, actions, repeatCount, repeatWindow, autoRollback, rollbackHold, rollbackDeadline,
                null, null, null, null);
    }

    public SeverityAction actionFor(Severity severity) {
        return actions.get(severity);
    }

    public RuleOverride override(String ruleId) {
        return ruleId == null ? null : overrides.get(ruleId);
    }

    /** These rules with other overrides. */
    public PolicyRules withOverrides(Map<String, RuleOverride> other) {
        return new PolicyRules(policyId, version, actions, repeatCount, repeatWindow, autoRollback, rollbackHold,
                rollbackDeadline, pack, other, conditionalDefault, deciders);
    }

    /** These rules with another default action for CONDITIONAL decisions. */
    public PolicyRules withConditionalDefault(String action) {
        return new PolicyRules(policyId, version, actions, repeatCount, repeatWindow, autoRollback, rollbackHold,
                rollbackDeadline, pack, overrides, action, deciders);
    }

    /**
     * The runbooks' defaults (the global policy the migrations seed): runbook 002's matrix — P0 rolls back at once,
     * P1 is a conditional rollback a person decides (default: roll back), P2 is monitored (rolls back if it repeats 3
     * times within 5 minutes or persists 5 minutes), P3 notifies; a rollback not completed within 2 minutes is
     * escalated.
     */
    public static PolicyRules runbookDefaults(long policyId, int version) {
        return new PolicyRules(policyId, version, Map.of(Severity.P0, SeverityAction.ROLLBACK, Severity.P1,
                SeverityAction.CONDITIONAL, Severity.P2, SeverityAction.MONITOR, Severity.P3, SeverityAction.NOTIFY),
                3, Duration.ofMinutes(5), true, false, Duration.ofMinutes(2));
    }
}
