package dev.rollwatch.events;

/**
 * A strategy step ended. {@code weight} is the traffic weight of the new version after it. {@code verdict} is, for an
 * ANALYSIS step, the monitor's verdict that decided it (FAILED: measured bad; ERROR: could not measure, e.g. the
 * target is down; INCONCLUSIVE: no data), absent for other kinds.
 */
public record StepCompleted(int stepIndex, StepKind kind, StepOutcome outcome, Integer weight, long durationMs,
        String detail, Verdict verdict) implements EventData {

    public StepCompleted(int stepIndex, StepKind kind, StepOutcome outcome, Integer weight, long durationMs,
            String detail) {
        this(stepIndex, kind, outcome, weight, durationMs, detail, null);
    }

    public StepCompleted {
        Require.nonNegative(stepIndex, "stepIndex");
        Require.present(kind, "kind");
        Require.present(outcome, "outcome");
    }
}
