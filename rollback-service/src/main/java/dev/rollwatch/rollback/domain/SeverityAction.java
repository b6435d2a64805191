package dev.rollwatch.rollback.domain;

/** What a policy's matrix row does with a breach of one severity, from most to least aggressive. */
public enum SeverityAction {
    /** Roll back at once (runbook 002 P0). */
    ROLLBACK(4),
    /** A person decides within the severity's response target; the policy's default action otherwise (002 P1). */
    CONDITIONAL(3),
    /**
     * Roll back when the same check breaches {@code repeatCount} times within {@code repeatWindow}, or its episode
     * persists for the window; else alert (002 P2 "monitor, rollback if escalates"; version 1 called it CONDITIONAL).
     */
    MONITOR(2),
    /** Alert a person, never roll back. */
    ALERT(1),
    /** Notify only (002 P3 "fix forward"). */
    NOTIFY(0);

    private final int aggressiveness;

    SeverityAction(int aggressiveness) {
        this.aggressiveness = aggressiveness;
    }

    public int aggressiveness() {
        return aggressiveness;
    }
}
