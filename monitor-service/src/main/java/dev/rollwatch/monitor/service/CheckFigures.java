package dev.rollwatch.monitor.service;

import dev.rollwatch.events.CheckResult;
import dev.rollwatch.events.Verdict;
import dev.rollwatch.monitor.domain.Assessment;
import dev.rollwatch.monitor.domain.CheckProgress;
import dev.rollwatch.monitor.domain.CheckRule;
import dev.rollwatch.monitor.domain.CheckState;
import dev.rollwatch.monitor.domain.DefaultChecks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every check's figures and verdict over a span (an analysis step, the bake window so far, a rollback's verification
 * window): only what was measured since {@code baseline} counts. A built-in check that measured nothing in the span
 * (the target does not expose its metric) is reported INCONCLUSIVE but not counted in the overall verdict: the
 * runbooks' defaults must not hold up a target that simply has no CPU gauge.
 */
public final class CheckFigures {

    private CheckFigures() {
    }

    /** The overall verdict and each check's result. */
    public record Judged(Verdict verdict, List<CheckResult> results) {
    }

    /** Each check's counters now, by name: the start of a span. */
    public static Map<String, CheckProgress> snapshot(List<CheckState> states) {
        Map<String, CheckProgress> at = new LinkedHashMap<>();
        for (CheckState s : states) {
            at.put(s.name, s.progress());
        }
        return at;
    }

    public static Judged judge(List<CheckState> states, Map<String, CheckProgress> baseline) {
        List<CheckResult> results = new ArrayList<>();
        List<Verdict> verdicts = new ArrayList<>();
        for (CheckState s : states) {
            CheckRule rule = s.rule();
            CheckProgress start = baseline.getOrDefault(s.name, CheckProgress.NONE);
            CheckProgress end = s.progress();
            Verdict v = Assessment.stepVerdict(start, end, rule);
            int measured = end.measurements() - start.measurements();
            boolean notExposed = measured == 0 && DefaultChecks.isBuiltIn(rule);
            if (!notExposed) {
                verdicts.add(v);
            }
            results.add(new CheckResult(s.name, s.metric, v, measured > 0 ? s.lastValue : null, s.minValue,
                    s.maxValue, measured, end.totalFailures() - start.totalFailures(),
                    notExposed ? "no data: the target does not expose " + s.metric + " (a built-in check, not counted)"
                            : message(v, measured)));
        }
        return new Judged(verdicts.isEmpty() ? Verdict.INCONCLUSIVE : Assessment.worst(verdicts), results);
    }

    static String message(Verdict v, int measured) {
        return switch (v) {
            case SUCCESSFUL -> measured + " measurements within the threshold";
            case FAILED -> "the threshold was breached";
            case ERROR -> "the metric could not be measured";
            case INCONCLUSIVE -> "no measurement";
        };
    }
}
