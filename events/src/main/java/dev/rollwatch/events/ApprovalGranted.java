package dev.rollwatch.events;

import java.time.Instant;

/** An operator passed a go/no-go gate. Topic {@code deployment-commands}. */
public record ApprovalGranted(int stepIndex, String approvedBy, Instant approvedAt, String reason)
        implements EventData {
    public ApprovalGranted {
        Require.nonNegative(stepIndex, "stepIndex");
        Require.text(approvedBy, "approvedBy");
        Require.present(approvedAt, "approvedAt");
    }
}
