package dev.rollwatch.events;

/**
 * The deploy service drove the target back (or failed to). {@code detectionToRollbackMs} runs from the breach's
 * {@code observedAt} to this event; absent for manual rollbacks. Topic {@code rollback-completed}.
 */
public record RollbackCompleted(String service, String environment, RollbackOutcome outcome, String toVersion,
        long durationMs, Long detectionToRollbackMs, String detail) implements EventData {
    public RollbackCompleted {
        Require.text(service, "service");
        Require.text(environment, "environment");
        Require.present(outcome, "outcome");
    }
}
