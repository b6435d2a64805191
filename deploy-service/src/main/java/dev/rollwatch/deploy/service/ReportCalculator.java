package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.domain.StepStatus;
import dev.rollwatch.events.CheckResult;
import dev.rollwatch.events.Verdict;
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
            Long rollbackDurationMs, Smoke smoke, Map<String, Figure> figures, Override override) {

        Report withFigures(Map<String, Figure> figures, Override override) {
            return new Report(status, plannedDurationMs, totalDurationMs, finished, steps, timeAtWeightMs,
                    detectionToRollbackMs, rollbackDurationMs, smoke, figures, override);
        }
    }

    /**
     * One line of the runbooks' metrics summary: the target ({@code actual <comparison> target}, in {@code unit}:
     * {@code ms} or {@code ratio}, a fraction), the actual so far, and whether it was met — null while it cannot be
     * told yet (nothing measured, or the period is not over and the target not yet missed). {@code seed} names the
     * runbook that sets the target; {@code how} says what the actual is made of.
     */
    public record Figure(String unit, String comparison, double target, Double actual, Boolean met, String seed,
            String how) {
    }

    /** An operator's override of the admission rules: who, why, and which rules it let through. */
    public record Override(String by, String reason, String overridden) {
    }

    /** The targets (configuration, runbook values by default). */
    public record Targets(Duration totalDuration, Duration downtime, double firstHourErrorRate,
            double bakeAvailability, Duration detectionToRollback, double smokePassRate) {

        public static final Targets RUNBOOK = new Targets(Duration.ofMinutes(60), Duration.ZERO, 0.005, 0.999,
                Duration.ofMinutes(5), 1.0);
    }

    /**
     * The monitor's figures at one moment: an analysis step's ({@code analysis}) or a bake checkpoint's
     * ({@code bake}) verdict and check results.
     */
    public record Probe(String source, int seq, Instant at, Verdict verdict, boolean last, List<CheckResult> checks) {
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
                total == 0 ? null : new Smoke(passed, total, (double) passed / total), Map.of(), null);
    }

    /** The report with the runbooks' figures: target, actual, met (see {@link Figure}). */
    public static Report compute(Facts d, List<StepFacts> history, List<Probe> probes, Override override,
            Targets targets, Instant now) {
        Report base = compute(d, history, now);
        Map<String, Figure> figures = new LinkedHashMap<>();
        figures.put("totalDuration", totalDuration(base, targets));
        figures.put("downtime", downtime(d, history, probes, targets, now));
        figures.put("firstHourErrorRate", firstHourErrorRate(d, probes, targets, now));
        figures.put("bakeAvailability", bakeAvailability(probes, targets));
        Long detection = base.detectionToRollbackMs();
        figures.put("detectionToRollback", new Figure("ms", "<", targets.detectionToRollback().toMillis(),
                detection == null ? null : detection.doubleValue(),
                detection == null ? null : detection < targets.detectionToRollback().toMillis(), "002",
                "from the breach the rollback answered to until the previous version was restored; none without a "
                        + "rollback"));
        Double passRate = base.smoke() == null ? null : base.smoke().passRate();
        figures.put("smokePassRate", new Figure("ratio", ">=", targets.smokePassRate(), passRate,
                passRate == null ? null : passRate >= targets.smokePassRate(), "001",
                "smoke checks passed / run, over every smoke step"));
        return base.withFigures(figures, override);
    }

    static Figure totalDuration(Report base, Targets targets) {
        long target = targets.totalDuration().toMillis();
        long actual = base.totalDurationMs();
        Boolean met = actual >= target ? Boolean.FALSE : base.finished() ? Boolean.TRUE : null;
        return new Figure("ms", "<", target, (double) actual, met, "001", "creation to the end (to now while it runs)");
    }

    /**
     * Downtime as deploy can see it: from a probe that found the target unhealthy (a smoke step FAILED, an analysis
     * or bake checkpoint that could not measure: ERROR) to the next probe that found it answering (a smoke step
     * that passed, a measured verdict) or the previous version restored by a rollback; an episode still open ends
     * at the last thing known (now while the deployment runs).
     */
    static Figure downtime(Facts d, List<StepFacts> history, List<Probe> probes, Targets targets, Instant now) {
        record Seen(Instant at, boolean healthy) {
        }
        List<Seen> seen = new ArrayList<>();
        for (StepFacts s : history) {
            if (s.kind() == StepKind.SMOKE && s.finishedAt() != null
                    && (s.status() == StepStatus.SUCCEEDED || s.status() == StepStatus.FAILED)) {
                seen.add(new Seen(s.finishedAt(), s.status() == StepStatus.SUCCEEDED));
            }
        }
        for (Probe p : probes) {
            if (p.verdict() == Verdict.ERROR) {
                seen.add(new Seen(p.at(), false));
            } else if (p.verdict() == Verdict.SUCCESSFUL || p.verdict() == Verdict.FAILED) {
                seen.add(new Seen(p.at(), true));
            }
        }
        if (d.status() == DeploymentStatus.ROLLED_BACK && d.rollbackFinishedAt() != null) {
            seen.add(new Seen(d.rollbackFinishedAt(), true));
        }
        seen.sort(Comparator.comparing(Seen::at));
        long down = 0;
        Instant since = null;
        Instant lastKnown = d.finishedAt() == null ? now : d.finishedAt();
        for (Seen s : seen) {
            if (!s.healthy() && since == null) {
                since = s.at();
            } else if (s.healthy() && since != null) {
                down += ms(since, s.at());
                since = null;
            }
            if (s.at().isAfter(lastKnown)) {
                lastKnown = s.at();
            }
        }
        if (since != null) {
            down += ms(since, lastKnown);
        }
        long target = targets.downtime().toMillis();
        Boolean met = down > target ? Boolean.FALSE : d.finishedAt() != null ? Boolean.TRUE : null;
        return new Figure("ms", "<=", target, (double) down, met, "002",
                "failed smoke steps and probes that could not reach the target (ERROR), until the next healthy one "
                        + "or the rollback");
    }

    /** The worst error_rate the monitor measured in the deployment's first hour (analyses and bake checkpoints). */
    static Figure firstHourErrorRate(Facts d, List<Probe> probes, Targets targets, Instant now) {
        Instant hourEnd = d.createdAt().plus(Duration.ofHours(1));
        Double worst = null;
        for (Probe p : probes) {
            if (p.at().isAfter(hourEnd)) {
                continue;
            }
            for (CheckResult c : p.checks()) {
                if ("error_rate".equals(c.metric()) && c.observed() != null) {
                    worst = worst == null ? c.observed() : Math.max(worst, c.observed());
                }
            }
        }
        boolean over = !now.isBefore(hourEnd)
                || d.finishedAt() != null && d.status() != DeploymentStatus.SUCCEEDED;
        Boolean met = worst == null ? null : worst >= targets.firstHourErrorRate() ? Boolean.FALSE
                : over ? Boolean.TRUE : null;
        return new Figure("ratio", "<", targets.firstHourErrorRate(), worst, met, "001",
                "the highest error_rate any analysis or bake checkpoint measured within an hour of the start");
    }

    /**
     * The lowest availability any bake checkpoint reported: its success_rate check, else 1 - its error_rate; met
     * once the last checkpoint is in.
     */
    static Figure bakeAvailability(List<Probe> probes, Targets targets) {
        Double lowest = null;
        boolean complete = false;
        for (Probe p : probes) {
            if (!"bake".equals(p.source())) {
                continue;
            }
            complete |= p.last();
            Double availability = null;
            for (CheckResult c : p.checks()) {
                if ("success_rate".equals(c.metric()) && c.observed() != null) {
                    availability = availability == null ? c.observed() : Math.min(availability, c.observed());
                }
            }
            if (availability == null) {
                for (CheckResult c : p.checks()) {
                    if ("error_rate".equals(c.metric()) && c.observed() != null) {
                        double a = 1 - c.observed();
                        availability = availability == null ? a : Math.min(availability, a);
                    }
                }
            }
            if (availability != null) {
                lowest = lowest == null ? availability : Math.min(lowest, availability);
            }
        }
        Boolean met = lowest == null ? null : lowest < targets.bakeAvailability() ? Boolean.FALSE
                : complete ? Boolean.TRUE : null;
        return new Figure("ratio", ">=", targets.bakeAvailability(), lowest, met, "004",
                "the lowest success_rate (else 1 - error_rate) of the bake checkpoints");
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
