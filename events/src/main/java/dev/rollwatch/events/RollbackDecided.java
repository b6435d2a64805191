package dev.rollwatch.events;

import java.time.Instant;

/**
 * The rollback service took a decision that is not itself a rollback request: {@code action} is one of
 * {@code CONDITIONAL} (a person must decide by {@code decideBy}: roll back or hold; {@code defaultAction} happens if
 * nobody does), {@code ALERT} (a person must look), {@code NOTIFY} (informational), {@code APPROVAL_REQUIRED} (would
 * roll back, but auto-rollback is off), {@code HOLD} (would roll back, but rollbacks are held, or a person chose to
 * hold a conditional rollback: page), {@code ATTACHED} (a rollback is already under way; this breach joins it) or
 * {@code IGNORED} (the deployment had finished and is no longer watched). Caused by the breach (or failed step) it
 * decides. Topic {@code rollback-decisions}, key = deployment id.
 *
 * @param relatedDecisionId for ATTACHED, the rollback decision the breach joined; for a decision that resolves a
 *                          CONDITIONAL one (HOLD chosen by a person or by default), the conditional decision
 * @param respondBy         when a person must have acted on or acknowledged it: decided at + the severity's response
 *                          target (P0 5 min, P1 15 min, P2 30 min); absent for P3 and for decisions nobody must act on
 * @param decideBy          for CONDITIONAL, the deadline of the person's decision
 * @param deciders          for CONDITIONAL, who may decide (a role, e.g. {@code operator})
 * @param defaultAction     for CONDITIONAL, what happens at {@code decideBy} if nobody decided: ROLLBACK or HOLD
 * @param policyPack        the rule pack and its version that decided, e.g. {@code runbook@1}
 * @param seedRule          the runbook rule the deciding pack entry encodes, e.g. {@code 001 conditional: error
 *                          rate 1-5 % after 1 hour}
 */
public record RollbackDecided(String service, String environment, String decisionId, String action, String rule,
        String reason, Severity severity, String check, Long policyId, Integer policyVersion, String breachEventId,
        String relatedDecisionId, Instant respondBy, Instant decideBy, String deciders, String defaultAction,
        String policyPack, String seedRule) implements EventData {

    public static final String CONDITIONAL = "CONDITIONAL";
    public static final String ALERT = "ALERT";
    public static final String NOTIFY = "NOTIFY";
    public static final String APPROVAL_REQUIRED = "APPROVAL_REQUIRED";
    public static final String HOLD = "HOLD";
    public static final String ATTACHED = "ATTACHED";
    public static final String IGNORED = "IGNORED";

    /** A decision without response target, conditional terms or pack reference. */
    public RollbackDecided(String service, String environment, String decisionId, String action, String rule,
            String reason, Severity severity, String check, Long policyId, Integer policyVersion,
            String breachEventId, String relatedDecisionId) {
        this(service, environment, decisionId, action, rule, reason, severity, check, policyId, policyVersion,
                breachEventId, relatedDecisionId, null, null, null, null, null, null);
    }

    public RollbackDecided {
        Require.text(service, "service");
        Require.text(environment, "environment");
        Require.text(decisionId, "decisionId");
        Require.text(action, "action");
        Require.text(rule, "rule");
        Require.text(reason, "reason");
        if (CONDITIONAL.equals(action) && (decideBy == null || defaultAction == null)) {
            throw new IllegalArgumentException("a CONDITIONAL decision needs decideBy and defaultAction");
        }
    }
}
