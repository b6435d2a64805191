package dev.rollwatch.events;

/** A strategy step ended. {@code weight} is the traffic weight of the new version after it. */
public record StepCompleted(int stepIndex, StepKind kind, StepOutcome outcome, Integer weight, long durationMs,
        String detail) implements EventData {
    public StepCompleted {
        Require.nonNegative(stepIndex, "stepIndex");
        Require.present(kind, "kind");
        Require.present(outcome, "outcome");
    }
}
