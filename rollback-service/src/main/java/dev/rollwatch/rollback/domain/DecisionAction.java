package dev.rollwatch.rollback.domain;

/** What the rollback service decided about a breach (or a manual request, or a stalled rollback). */
public enum DecisionAction {
    /** A rollback was requested: at most one per deployment. */
    ROLLBACK,
    /** No rollback: a person must look (a P2 below its repeat limit, auto-rollback off, a freeze). */
    ALERT,
    /** No rollback: informational only (P3). */
    NOTIFY,
    /** A rollback was already requested for the deployment; this breach joins it. */
    ATTACHED,
    /** The deployment had already finished; the breach changes nothing. */
    IGNORED,
    /** The rollback did not complete within its deadline, or failed: a P1 page. */
    ESCALATED
}
