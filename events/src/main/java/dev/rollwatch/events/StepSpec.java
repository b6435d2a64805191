package dev.rollwatch.events;

import java.time.Duration;
import java.util.List;

/**
 * One step of a strategy, in the normalised form the events carry. Fields that do not apply to a kind are
 * absent: {@code weight} for SET_WEIGHT, {@code duration} for PAUSE and ANALYSIS (a PAUSE without one is an
 * open-ended go/no-go gate), {@code checks} for SMOKE.
 */
public record StepSpec(StepKind kind, Integer weight, Duration duration, List<SmokeCheck> checks) {
    public StepSpec {
        Require.present(kind, "step.kind");
        checks = kind == StepKind.SMOKE ? Require.list(checks) : (checks == null ? null : List.copyOf(checks));
        if (kind == StepKind.SET_WEIGHT && (weight == null || weight < 0 || weight > 100)) {
            throw new IllegalArgumentException("setWeight needs a weight between 0 and 100, was " + weight);
        }
    }

    public static StepSpec setWeight(int weight) {
        return new StepSpec(StepKind.SET_WEIGHT, weight, null, null);
    }

    public static StepSpec pause(Duration duration) {
        return new StepSpec(StepKind.PAUSE, null, duration, null);
    }

    public static StepSpec analysis(Duration duration) {
        return new StepSpec(StepKind.ANALYSIS, null, duration, null);
    }

    public static StepSpec smoke(List<SmokeCheck> checks) {
        return new StepSpec(StepKind.SMOKE, null, null, checks);
    }
}
