package dev.rollwatch.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The monitor watched the restored version after a rollback (runbooks 000/002/004: verify for 30 minutes that the
 * error rate drops back and the service is healthy) and says whether the rollback worked. VERIFIED: every check of
 * the deployment stayed within its threshold (and the target answered) for the whole {@code window}. UNVERIFIED: a
 * check breached, or the target could not be measured for the outage window, on the restored version
 * ({@code check}, {@code detail} say which and what was measured): the incident is still on, and the rollback service
 * escalates it at P0. Decided as soon as it fails, or at the end of the window. Caused by the RollbackCompleted.
 * Topic {@code rollback-verifications}, key = deployment id.
 *
 * @param version the restored version that was watched
 * @param checks  every check's figures over the window
 */
public record RollbackVerified(String service, String environment, String version, String outcome, Duration window,
        Instant watchedFrom, Instant decidedAt, String check, String detail, List<CheckResult> checks)
        implements EventData {

    public static final String VERIFIED = "VERIFIED";
    public static final String UNVERIFIED = "UNVERIFIED";

    public RollbackVerified {
        Require.text(service, "service");
        Require.text(environment, "environment");
        Require.text(outcome, "outcome");
        if (!VERIFIED.equals(outcome) && !UNVERIFIED.equals(outcome)) {
            throw new IllegalArgumentException("outcome must be VERIFIED or UNVERIFIED, was " + outcome);
        }
        Require.present(decidedAt, "decidedAt");
        checks = checks == null ? List.of() : List.copyOf(checks);
    }
}
