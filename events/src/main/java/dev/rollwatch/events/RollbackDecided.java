package dev.rollwatch.events;

/**
 * The rollback service took a decision that is not itself a rollback request: {@code action} is one of
 * {@code ALERT} (a person must look), {@code NOTIFY} (informational), {@code APPROVAL_REQUIRED} (would roll back,
 * but auto-rollback is off), {@code HOLD} (would roll back, but the policy is frozen: page), {@code ATTACHED} (a
 * rollback is already under way; this breach joins it) or {@code IGNORED} (the deployment had finished). Caused by
 * the breach (or failed step) it decides. Topic {@code rollback-decisions}, key = deployment id.
 *
 * @param relatedDecisionId for ATTACHED, the rollback decision the breach joined
 */
public record RollbackDecided(String service, String environment, String decisionId, String action, String rule,
        String reason, Severity severity, String check, Long policyId, Integer policyVersion, String breachEventId,
        String relatedDecisionId) implements EventData {

    public static final String ALERT = "ALERT";
    public static final String NOTIFY = "NOTIFY";
    public static final String APPROVAL_REQUIRED = "APPROVAL_REQUIRED";
    public static final String HOLD = "HOLD";
    public static final String ATTACHED = "ATTACHED";
    public static final String IGNORED = "IGNORED";

    public RollbackDecided {
        Require.text(service, "service");
        Require.text(environment, "environment");
        Require.text(decisionId, "decisionId");
        Require.text(action, "action");
        Require.text(rule, "rule");
        Require.text(reason, "reason");
    }
}
