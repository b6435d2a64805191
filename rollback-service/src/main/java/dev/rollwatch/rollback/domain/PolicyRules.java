package dev.rollwatch.rollback.domain;

import dev.rollwatch.events.Severity;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The decision matrix of one policy version, as the pure evaluation sees it.
 *
 * @param policyId         the policy row (one row per version)
 * @param version          the policy version within its scope
 * @param actions          what each severity does
 * @param repeatCount      breaches of one check within {@code repeatWindow} that make a CONDITIONAL severity roll back
 * @param repeatWindow     the window for {@code repeatCount}
 * @param autoRollback     false: a rollback becomes an alert asking for approval
 * @param freeze           true: hold, never roll back automatically, page instead
 * @param rollbackDeadline how long a requested rollback may take before it is escalated
 */
public record PolicyRules(long policyId, int version, Map<Severity, SeverityAction> actions, int repeatCount,
        Duration repeatWindow, boolean autoRollback, boolean freeze, Duration rollbackDeadline) {

    public PolicyRules {
        actions = Map.copyOf(actions);
        for (Severity s : Severity.values()) {
            Objects.requireNonNull(actions.get(s), "no action for " + s);
        }
        Objects.requireNonNull(repeatWindow, "repeatWindow");
        Objects.requireNonNull(rollbackDeadline, "rollbackDeadline");
    }

    public SeverityAction actionFor(Severity severity) {
        return actions.get(severity);
    }

    /** The runbooks' defaults (what the migration seeds as the global policy, version 1). */
    public static PolicyRules runbookDefaults(long policyId, int version) {
        return new PolicyRules(policyId, version, Map.of(Severity.P1, SeverityAction.ROLLBACK, Severity.P2,
                SeverityAction.CONDITIONAL, Severity.P3, SeverityAction.NOTIFY), 3, Duration.ofMinutes(5), true,
                false, Duration.ofMinutes(2));
    }
}
