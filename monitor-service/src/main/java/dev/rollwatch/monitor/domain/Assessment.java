package dev.rollwatch.monitor.domain;

import dev.rollwatch.events.Verdict;

import java.util.ArrayList;
import java.util.List;

/**
 * The monitor's judgement, as pure functions: a value → a measurement outcome, a measurement → the check's next
 * progress and what to announce, progress → a verdict. Everything that decides a rollback is here and tested
 * directly.
 *
 * <p>Episodes: a check breaches when {@code failureLimit} consecutive measurements fail; that opens an episode
 * and emits exactly one ThresholdBreached. While the check keeps failing nothing more is emitted (no flood). The
 * first passing measurement closes the episode and resets the run, so a later breach is a new episode and a new
 * event: the rollback service sees a P2 that keeps coming back as N separate breaches.
 */
public final class Assessment {

    private Assessment() {
    }

    /** The outcome of one value: a missing, NaN or infinite value could not be measured, which is ERROR. */
    public static MeasurementOutcome judge(CheckRule rule, Double value) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            return MeasurementOutcome.ERROR;
        }
        return rule.violated(value) == null ? MeasurementOutcome.PASSED : MeasurementOutcome.FAILED;
    }

    /** The progress after one measurement, and what it means. */
    public static Step advance(CheckProgress p, CheckRule rule, Measurement m) {
        int measurements = p.measurements() + 1;
        return switch (m.outcome()) {
            case ERROR -> {
                int errors = p.consecutiveErrors() + 1;
                // ERROR neither counts as a failure nor ends a failing run: it is the absence of a measurement.
                yield new Step(new CheckProgress(measurements, p.failures(), p.totalFailures(), errors, p.inBreach(),
                        p.episodes(), p.failingValues()),
                        errors == rule.consecutiveErrorLimit() ? Decision.ERROR_LIMIT : Decision.NONE);
            }
            case PASSED -> new Step(new CheckProgress(measurements, 0, p.totalFailures(), 0, false, p.episodes(),
                    List.of()), p.inBreach() ? Decision.RECOVERED : Decision.NONE);
            case FAILED -> {
                int failures = p.failures() + 1;
                List<Double> values = new ArrayList<>(p.failingValues());
                values.add(m.value());
                if (values.size() > CheckProgress.KEPT_VALUES) {
                    values = values.subList(values.size() - CheckProgress.KEPT_VALUES, values.size());
                }
                boolean opens = !p.inBreach() && failures >= rule.failureLimit();
                yield new Step(new CheckProgress(measurements, failures, p.totalFailures() + 1, 0,
                        p.inBreach() || opens, p.episodes() + (opens ? 1 : 0), values),
                        opens ? Decision.BREACH : Decision.NONE);
            }
        };
    }

    /**
     * The check's verdict so far. A check that breached at any point has FAILED this deployment, even if it
     * recovered since; a check that cannot measure is ERROR; a check with no measurement is INCONCLUSIVE, never
     * SUCCESSFUL.
     */
    public static Verdict verdict(CheckProgress p, CheckRule rule) {
        if (p.episodes() > 0) {
            return Verdict.FAILED;
        }
        if (p.consecutiveErrors() >= rule.consecutiveErrorLimit()) {
            return Verdict.ERROR;
        }
        if (p.measurements() - p.consecutiveErrors() == 0) {
            return Verdict.INCONCLUSIVE;
        }
        return Verdict.SUCCESSFUL;
    }

    /**
     * A check's verdict for an analysis step: only what was measured between {@code atStart} and {@code atEnd}
     * counts. A breach episode opened during the step (or one still open) is FAILED; the error limit reached is
     * ERROR; no measurement taken during the step is INCONCLUSIVE (no data is never SUCCESSFUL).
     */
    public static Verdict stepVerdict(CheckProgress atStart, CheckProgress atEnd, CheckRule rule) {
        if (atEnd.episodes() > atStart.episodes() || atEnd.inBreach()) {
            return Verdict.FAILED;
        }
        if (atEnd.consecutiveErrors() >= rule.consecutiveErrorLimit()) {
            return Verdict.ERROR;
        }
        int measured = atEnd.measurements() - atStart.measurements();
        int errorsInStep = Math.min(measured, atEnd.consecutiveErrors());
        return measured - errorsInStep <= 0 ? Verdict.INCONCLUSIVE : Verdict.SUCCESSFUL;
    }

    /** The worst of several verdicts: FAILED over ERROR over INCONCLUSIVE over SUCCESSFUL; none is INCONCLUSIVE. */
    public static Verdict worst(java.util.Collection<Verdict> verdicts) {
        List<Verdict> order = List.of(Verdict.FAILED, Verdict.ERROR, Verdict.INCONCLUSIVE, Verdict.SUCCESSFUL);
        return verdicts.stream().min(java.util.Comparator.comparingInt(order::indexOf)).orElse(Verdict.INCONCLUSIVE);
    }

    /** One measurement's effect. */
    public record Step(CheckProgress progress, Decision decision) {
    }
}
