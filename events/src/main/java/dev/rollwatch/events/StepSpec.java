package dev.rollwatch.events;

import java.time.Duration;
import java.util.List;

/**
 * One step of a strategy, in the normalised form the events carry. Fields that do not apply to a kind are
 * absent: {@code weight} for SET_WEIGHT, {@code duration} for PAUSE and ANALYSIS (a PAUSE without one is an
 * open-ended go/no-go gate), {@code checks} for SMOKE, {@code criteria} for ANALYSIS: the step's own success
 * criteria (runbook 004: canary 5 % error rate &lt; 0.5 %, 25 % and 100 % &lt; 0.1 %), judged only while the step runs,
 * on top of the deployment's checks; a criterion that fails during the step is a breach of kind {@code criteria}.
 */
public record StepSpec(StepKind kind, Integer weight, Duration duration, List<SmokeCheck> checks,
        List<CheckSpec> criteria) {

    public StepSpec(StepKind kind, Integer weight, Duration duration, List<SmokeCheck> checks) {
        this(kind, weight, duration, checks, null);
    }

    public StepSpec {
        Require.present(kind, "step.kind");
        checks = kind == StepKind.SMOKE ? Require.list(checks) : (checks == null ? null : List.copyOf(checks));
        criteria = criteria == null || criteria.isEmpty() ? null : List.copyOf(criteria);
        if (criteria != null && kind != StepKind.ANALYSIS) {
            throw new IllegalArgumentException("only an analysis step has criteria, not " + kind);
        }
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

    public static StepSpec analysis(Duration duration, List<CheckSpec> criteria) {
        return new StepSpec(StepKind.ANALYSIS, null, duration, null, criteria);
    }

    public static StepSpec smoke(List<SmokeCheck> checks) {
        return new StepSpec(StepKind.SMOKE, null, null, checks);
    }
}
