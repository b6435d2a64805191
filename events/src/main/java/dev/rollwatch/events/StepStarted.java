package dev.rollwatch.events;

import java.time.Instant;

/** A strategy step began. {@code deadline} is absent for open-ended steps. Topic {@code step-started}. */
public record StepStarted(int stepIndex, StepKind kind, Integer weight, Instant deadline) implements EventData {
    public StepStarted {
        Require.nonNegative(stepIndex, "stepIndex");
        Require.present(kind, "kind");
    }
}
