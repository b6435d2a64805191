package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.domain.StepStatus;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The runbooks' deployment metrics summary, computed from the persisted history only (a pure function). */
public final class ReportCalculator {

    private ReportCalculator() {
    }

    /** What the report needs to know about the deployment. */
    public record Facts(DeploymentStatus status, Instant createdAt, Instant finishedAt, List<StepSpec> plan,
            Instant rollbackDetectedAt, Instant rollbackStartedAt, Instant rollbackFinishedAt) {
    }

    /** One history row. */
    public record StepFacts(int index, StepKind kind, Integer weight, StepStatus status, Instant startedAt,
            Instant finishedAt, Integer smokePassed, Integer smokeTotal) {
    }

    public record StepLine(int index, StepKind kind, Integer weight, StepStatus status, Long plannedMs,
            Long durationMs) {
    }

    public record Smoke(int passed, int total, Double passRate) {
    }

    /**
     * @param plannedDurationMs the strategy's timed steps added up (pauses and analyses): the target
     * @param totalDurationMs   creation to the end (or to now while it runs): the actual
     * @param timeAtWeightMs    how long the new version held each traffic weight, in the order it held them
     */
    public record Report(DeploymentStatus status, long plannedDurationMs, long totalDurationMs, boolean finished,
            List<StepLine> steps, Map<Integer, Long> timeAtWeightMs, Long detectionToRollbackMs,
            Long rollbackDurationMs, Smoke smoke) {
    }

    public static Report compute(Facts d, List<StepFacts> history, Instant now) {
        Instant end = d.finishedAt() != null ? d.finishedAt() : now;
        List<StepFacts> rows = new ArrayList<>(history);
        rows.sort(Comparator.comparingInt(StepFacts::index));

        long planned = 0;
        for (StepSpec s : d.plan()) {
            if (s.duration() != null) {
                planned += s.duration().toMillis();
            }
        }
        List<StepLine> lines = new ArrayList<>();
        int passed = 0;
        int total = 0;
        for (StepFacts s : rows) {
            StepSpec spec = s.index() < d.plan().size() ? d.plan().get(s.index()) : null;
            Long plannedMs = spec != null && spec.duration() != null ? spec.duration().toMillis() : null;
            Instant stepEnd = s.finishedAt() != null ? s.finishedAt() : (d.finishedAt() != null ? null : now);
            lines.add(new StepLine(s.index(), s.kind(), s.weight(), s.status(), plannedMs,
                    stepEnd == null ? null : ms(s.startedAt(), stepEnd)));
            if (s.kind() == StepKind.SMOKE && s.smokeTotal() != null) {
                passed += s.smokePassed() == null ? 0 : s.smokePassed();
                total += s.smokeTotal();
            }
        }
        return new Report(d.status(), planned, ms(d.createdAt(), end), d.finishedAt() != null, lines,
                timeAtWeight(d, rows, end),
                d.rollbackDetectedAt() != null && d.rollbackFinishedAt() != null
                        ? ms(d.rollbackDetectedAt(), d.rollbackFinishedAt()) : null,
                d.rollbackStartedAt() != null && d.rollbackFinishedAt() != null
                        ? ms(d.rollbackStartedAt(), d.rollbackFinishedAt()) : null,
                total == 0 ? null : new Smoke(passed, total, (double) passed / total));
    }

    /** Weight 0 from creation, then each confirmed weight change, then 0 again after a successful rollback. */
    static Map<Integer, Long> timeAtWeight(Facts d, List<StepFacts> rows, Instant end) {
        List<Instant> at = new ArrayList<>();
        List<Integer> weight = new ArrayList<>();
        at.add(d.createdAt());
        weight.add(0);
        for (StepFacts s : rows) {
            if (s.kind() == StepKind.SET_WEIGHT && s.finishedAt() != null && s.status() == StepStatus.SUCCEEDED) {
                at.add(s.finishedAt());
                weight.add(s.weight());
            }
        }
        if (d.rollbackFinishedAt() != null && d.status() == DeploymentStatus.ROLLED_BACK) {
            at.add(d.rollbackFinishedAt());
            weight.add(0);
        }
        Map<Integer, Long> result = new LinkedHashMap<>();
        for (int i = 0; i < at.size(); i++) {
            Instant from = at.get(i);
            Instant to = i + 1 < at.size() ? at.get(i + 1) : end;
            if (to.isBefore(from)) {
                to = from;
            }
            result.merge(weight.get(i), ms(from, to), Long::sum);
        }
        return result;
    }

    private static long ms(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }
}
