package dev.rollwatch.events;

/**
 * The deploy service drove the target back (or failed to, or stepped back). {@code detectionToRollbackMs} runs from
 * the breach's {@code observedAt} to this event; absent for manual rollbacks. {@code toWeight} is the new version's
 * weight after a STEPPED_BACK (absent otherwise); {@code health} what the restored version's health probe said.
 * Topic {@code rollback-completed}.
 */
public record RollbackCompleted(String service, String environment, RollbackOutcome outcome, String toVersion,
        long durationMs, Long detectionToRollbackMs, String detail, Integer toWeight, String health)
        implements EventData {

    public RollbackCompleted(String service, String environment, RollbackOutcome outcome, String toVersion,
            long durationMs, Long detectionToRollbackMs, String detail) {
        this(service, environment, outcome, toVersion, durationMs, detectionToRollbackMs, detail, null, null);
    }

    public RollbackCompleted {
        Require.text(service, "service");
        Require.text(environment, "environment");
        Require.present(outcome, "outcome");
    }
}
