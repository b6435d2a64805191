package dev.rollwatch.events;

import java.util.List;

/** The monitor's verdict on one analysis step, with every check's figures. Topic {@code analysis-completed}. */
public record AnalysisCompleted(int stepIndex, Verdict verdict, List<CheckResult> checks) implements EventData {
    public AnalysisCompleted {
        Require.nonNegative(stepIndex, "stepIndex");
        Require.present(verdict, "verdict");
        checks = Require.list(checks);
    }
}
