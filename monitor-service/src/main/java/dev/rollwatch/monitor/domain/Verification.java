package dev.rollwatch.monitor.domain;

import java.time.Instant;

/**
 * Whether a rollback worked (runbooks 000/002/004: watch the restored version for 30 minutes), as a pure function: a
 * check of the deployment breached on the restored version, or the target was unreachable for the outage window →
 * UNVERIFIED at once; the window over with neither → VERIFIED; otherwise still PENDING.
 */
public final class Verification {

    private Verification() {
    }

    public enum Outcome { PENDING, VERIFIED, UNVERIFIED }

    public static Outcome decide(boolean checkBreached, boolean outage, Instant until, Instant now) {
        if (checkBreached || outage) {
            return Outcome.UNVERIFIED;
        }
        return now.isBefore(until) ? Outcome.PENDING : Outcome.VERIFIED;
    }
}
