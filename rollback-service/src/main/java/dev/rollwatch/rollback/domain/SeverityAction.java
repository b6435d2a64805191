package dev.rollwatch.rollback.domain;

/** What a policy does with a breach of one severity, from most to least aggressive. */
public enum SeverityAction {
    /** Roll back at once. */
    ROLLBACK(3),
    /** Roll back when the same check breaches {@code repeatCount} times within {@code repeatWindow}, else alert. */
    CONDITIONAL(2),
    /** Alert a person, never roll back. */
    ALERT(1),
    /** Notify only. */
    NOTIFY(0);

    private final int aggressiveness;

    SeverityAction(int aggressiveness) {
        this.aggressiveness = aggressiveness;
    }

    public int aggressiveness() {
        return aggressiveness;
    }
}
