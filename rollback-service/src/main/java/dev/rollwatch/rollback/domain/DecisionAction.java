package dev.rollwatch.rollback.domain;

/** What the rollback service decided about a breach (or a manual request, or a stalled rollback). */
public enum DecisionAction {
    /** A rollback was requested: at most one open per deployment. */
    ROLLBACK,
    /**
     * A person must decide by {@code decideBy} whether to roll back or hold; the policy's default action happens
     * then if nobody did (runbook 001 "Conditional Rollback If", 002 P1 "rollback if no quick fix").
     */
    CONDITIONAL,
    /** No rollback: a person must look (a P2 below its repeat limit, a rule not sustained yet, a hold). */
    ALERT,
    /** No rollback: informational only (P3). */
    NOTIFY,
    /** A person (or the default action) chose not to roll back a CONDITIONAL decision: keep paging. */
    HOLD,
    /** A rollback was already requested for the deployment; this breach joins it. */
    ATTACHED,
    /** The deployment had already finished (outside its bake window); the breach changes nothing. */
    IGNORED,
    /** A rollback did not complete, failed, was unverified, or a decision went unanswered: a page. */
    ESCALATED
}
