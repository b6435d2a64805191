package dev.rollwatch.events;

import java.time.Instant;

/**
 * A deployment waits for a person (AWAITING_APPROVAL): a go/no-go gate was reached, or an analysis gave no verdict
 * ("unclear result: wait for team decision"). {@code approvers} is the role that may approve, abort or promote
 * ({@code operator}); {@code reason} says why it waits. Topic {@code approval-requests}, key = deployment id.
 */
public record ApprovalRequested(String service, String environment, String version, int stepIndex, String reason,
        String approvers, Instant waitingSince) implements EventData {

    public ApprovalRequested {
        Require.text(service, "service");
        Require.text(environment, "environment");
        Require.text(version, "version");
        Require.nonNegative(stepIndex, "stepIndex");
        Require.text(reason, "reason");
        Require.text(approvers, "approvers");
        Require.present(waitingSince, "waitingSince");
    }
}
