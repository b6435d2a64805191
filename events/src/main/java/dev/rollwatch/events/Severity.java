package dev.rollwatch.events;

import java.time.Duration;

/**
 * The runbooks' severities, most urgent first, with their response-time targets (runbook 002's matrix: P0 critical
 * &lt; 5 min, P1 high &lt; 15 min, P2 medium &lt; 30 min, P3 low: the next deployment). What each one does is the
 * rollback policy's business (docs/runbook-policy.md), not the severity's: by default P0 rolls back at once, P1 is a
 * conditional rollback a person decides within its target, P2 rolls back if it persists or repeats, P3 notifies.
 */
public enum Severity {
    /** Application down, data loss, security incident. */
    P0(Duration.ofMinutes(5)),
    P1(Duration.ofMinutes(15)),
    P2(Duration.ofMinutes(30)),
    /** Fixed forward in the next deployment: no response-time target. */
    P3(null);

    private final Duration responseTarget;

    Severity(Duration responseTarget) {
        this.responseTarget = responseTarget;
    }

    /** How soon a person must act on (or acknowledge) a decision of this severity; null for P3. */
    public Duration responseTarget() {
        return responseTarget;
    }

    /** Whether this severity is more urgent than {@code other} (P0 is the most urgent). */
    public boolean moreUrgentThan(Severity other) {
        return other == null || ordinal() < other.ordinal();
    }
}
