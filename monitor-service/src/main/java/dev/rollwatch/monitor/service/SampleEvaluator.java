package dev.rollwatch.monitor.service;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.Measure;
import dev.rollwatch.monitor.config.MonitorConfig;
import dev.rollwatch.monitor.domain.Assessment;
import dev.rollwatch.monitor.domain.CheckProgress;
import dev.rollwatch.monitor.domain.CheckRule;
import dev.rollwatch.monitor.domain.CheckState;
import dev.rollwatch.monitor.domain.Decision;
import dev.rollwatch.monitor.domain.Measurement;
import dev.rollwatch.monitor.domain.MeasurementOutcome;
import dev.rollwatch.monitor.domain.Measures;
import dev.rollwatch.monitor.domain.SeriesPoint;
import dev.rollwatch.monitor.domain.Watch;
import dev.rollwatch.monitor.domain.WatchStatus;
import dev.rollwatch.monitor.domain.DefaultChecks;
import dev.rollwatch.events.Operator;
import dev.rollwatch.monitor.provider.Reading;
import dev.rollwatch.monitor.repository.CheckStateRepository;
import dev.rollwatch.monitor.repository.SeriesRepository;
import dev.rollwatch.monitor.repository.WatchRepository;
import dev.rollwatch.platform.rest.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Judges measurements the moment they arrive, against the watch's checks for their metric, and announces each
 * new breach episode with one ThresholdBreached through the outbox, in the transaction that records the
 * measurement, and its end with one ThresholdRecovered. Every provider (push over REST or the metric-samples
 * topic, scrape, prometheus) feeds this one path. A check's {@code measure} turns the measured value into the
 * compared figure here: the value, the value against the stable version's ({@code BASELINE_*}), or the slope of its
 * trend over the window ({@code GROWTH_PER_HOUR}).
 */
@ApplicationScoped
public class SampleEvaluator {

    public static final String SOURCE = Envelope.source("monitor-service");
    private static final Logger LOG = Logger.getLogger(SampleEvaluator.class);

    private final WatchRepository watches;
    private final CheckStateRepository checks;
    private final EpisodeEvents episodes;
    private final MonitorConfig config;
    private final Verifications verifications;
    private final SeriesRepository series;
    private final Counter evaluated;
    private final Timer toBreach;

    public SampleEvaluator(WatchRepository watches, CheckStateRepository checks, EpisodeEvents episodes,
            MonitorConfig config, Verifications verifications, SeriesRepository series, MeterRegistry registry) {
        this.verifications = verifications;
        this.series = series;
        this.watches = watches;
        this.checks = checks;
        this.episodes = episodes;
        this.config = config;
        this.evaluated = registry.counter("rollwatch.monitor.measurements");
        this.toBreach = Timer.builder("rollwatch.monitor.sample.to.breach.latency")
                .description("sample received to ThresholdBreached committed and handed to Kafka")
                .publishPercentiles(0.5, 0.95, 0.99).register(registry);
    }

    /**
     * Records sample received ({@code receivedNanos}, {@link System#nanoTime()}) → breach committed, when the
     * evaluated samples opened a breach; call it after the transaction committed.
     */
    public void recordBreachLatency(long receivedNanos, List<SampleEvaluation> evaluated) {
        if (evaluated.stream().flatMap(e -> e.checks().stream()).anyMatch(c -> c.breachEventId() != null)) {
            toBreach.record(System.nanoTime() - receivedNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** A measured value for a deployment; {@code version} is the version it was measured on. */
    public record Sample(String metric, Double value, Instant observedAt, String version) {
    }

    /**
     * What one sample did to one check: the outcome, the figure compared with the range ({@code compared}: the
     * value itself, a ratio or difference against {@code baseline}, or a growth per hour), why nothing could be
     * compared ({@code reason}), and the breach or recovery it announced, if any.
     */
    public record CheckEvaluation(String check, MeasurementOutcome outcome, int failures, int failureLimit,
            boolean inBreach, String breachEventId, Double compared, Double baseline, String reason,
            String recoveryEventId) {
    }

    /** What one sample did: the checks it was judged by (none when no check watches its metric). */
    public record SampleEvaluation(int index, String metric, Double value, Instant observedAt, String version,
            List<CheckEvaluation> checks, String note) {
    }

    /**
     * Judges a batch in the order given. The watch row is locked for the transaction, so two batches for the same
     * deployment never interleave; a refusal (unknown or stopped watch) records nothing. {@code requireService} is
     * the caller's scope check, given the watch's service, or {@code null} when there is no watch: it runs under the
     * lock before anything else is said about the watch, and throws to refuse (nothing is recorded then).
     * {@code telemetry} is {@link Telemetry#RECORDED} for every real batch; {@link Telemetry#SILENT} (the start-up
     * warm-up, in a transaction it rolls back) judges and writes exactly the same but counts and logs nothing.
     */
    @Transactional
    public List<SampleEvaluation> evaluate(String deploymentId, List<Sample> samples,
            Consumer<String> requireService, Telemetry telemetry) {
        Optional<Watch> locked = watches.lock(deploymentId);
        requireService.accept(locked.map(watch -> watch.service).orElse(null));
        Watch w = locked.orElseThrow(() -> new ProblemException(404, "watch-not-found",
                "Not found", "no watch for deployment " + deploymentId
                        + " (unknown, or its DeploymentStarted has not arrived yet)"));
        if (!w.status.isWatching()) {
            throw ProblemException.conflict("watch-stopped", "the watch of deployment " + deploymentId
                    + " stopped at " + w.stoppedAt + " (deployment " + w.finishOutcome + "); samples are no longer "
                    + "evaluated").with("deploymentId", deploymentId);
        }
        return judge(w, samples, telemetry);
    }

    /**
     * The same judgement in the caller's transaction, for a batch that cannot be answered (the metric-samples
     * topic): empty when there is no watch or it stopped, and nothing is recorded then. {@code mayFeed} says whether
     * the batch may feed a watch of the given service; when it may not, {@link OutOfScope} is thrown under the lock
     * and nothing is recorded.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<List<SampleEvaluation>> evaluateIfWatching(String deploymentId, List<Sample> samples,
            Predicate<String> mayFeed) {
        Watch w = watches.lock(deploymentId).orElse(null);
        if (w == null || !w.status.isWatching()) {
            return Optional.empty();
        }
        if (!mayFeed.test(w.service)) {
            throw new OutOfScope("deployment " + deploymentId + " is of service " + w.service
                    + ", which the metric-samples topic may not feed (rollwatch.monitor.metric-samples.services)");
        }
        return Optional.of(judge(w, samples, Telemetry.RECORDED));
    }

    /** A batch for a watch of a service its channel may not feed: refused, nothing of it recorded. */
    public static final class OutOfScope extends IllegalArgumentException {
        public OutOfScope(String message) {
            super(message);
        }
    }

    private List<SampleEvaluation> judge(Watch w, List<Sample> samples, Telemetry telemetry) {
        List<CheckState> states = checks.forDeployment(w.deploymentId).stream().filter(c -> judged(w, c)).toList();
        Instant now = WatchService.now();
        List<SampleEvaluation> results = new ArrayList<>(samples.size());
        List<SeriesPoint> points = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            Instant at = s.observedAt() != null ? s.observedAt() : now;
            String version = s.version() != null ? s.version() : w.measuredVersion();
            if (!version.equals(w.measuredVersion())) {
                results.add(new SampleEvaluation(i, s.metric(), s.value(), at, version, List.of(),
                        baselineOf(w, states, s, version, at)));
                continue;
            }
            List<CheckEvaluation> judged = new ArrayList<>();
            for (CheckState state : states) {
                if (state.metric.equals(s.metric())) {
                    judged.add(apply(w, state, s.value(), null, pushedBaseline(state, at), at, now, points,
                            telemetry));
                }
            }
            results.add(new SampleEvaluation(i, s.metric(), s.value(), at, version, judged,
                    judged.isEmpty() ? "no check of this deployment watches " + s.metric() : null));
        }
        appendSeries(points);
        return results;
    }

    /** A sample of another version: the baseline of the BASELINE_* checks on its metric when it is the stable one. */
    private static String baselineOf(Watch w, List<CheckState> states, Sample s, String version, Instant at) {
        List<String> baselineOf = new ArrayList<>();
        if (version.equals(w.previousVersion) && w.status != WatchStatus.VERIFYING) {
            for (CheckState state : states) {
                if (state.metric.equals(s.metric()) && state.measure.comparesWithBaseline()) {
                    if (state.baselineObservedAt == null || !state.baselineObservedAt.isAfter(at)) {
                        state.baselineValue = s.value();
                        state.baselineObservedAt = at;
                    }
                    baselineOf.add(state.name);
                }
            }
        }
        return baselineOf.isEmpty() ? "not judged: thresholds apply to the version under watch, " + w.measuredVersion()
                : "not judged: the stable version's value, the baseline of " + String.join(", ", baselineOf);
    }

    /**
     * Whether a check is judged now: the deployment's checks always; a step's own criterion only while that ANALYSIS
     * step runs (from its StepStarted to its StepCompleted) during the rollout.
     */
    static boolean judged(Watch w, CheckState c) {
        return judged(w, c.stepIndex);
    }

    /** {@link #judged(Watch, CheckState)} of a check that is the criterion of step {@code stepIndex} (null: none). */
    static boolean judged(Watch w, Integer stepIndex) {
        return stepIndex == null || (w.status == WatchStatus.ACTIVE && stepIndex.equals(w.criteriaStep));
    }

    /** The stable version's latest pushed value, if it was observed within the check's window of {@code at}. */
    private static Double pushedBaseline(CheckState state, Instant at) {
        if (!state.measure.comparesWithBaseline() || state.baselineObservedAt == null) {
            return null;
        }
        Duration apart = Duration.between(state.baselineObservedAt, at).abs();
        return apart.compareTo(state.rule().effectiveWindow()) <= 0 ? state.baselineValue : null;
    }

    /** A polled provider's reading of one check (by name). */
    public record CheckReading(String check, Reading reading) {
    }

    /**
     * A polled provider's reading of one check (not of every check on the metric: two checks may measure the same
     * metric through different providers), taken of {@code version}: the one-reading round of
     * {@link #measured(String, String, List)}. Returns null when it recorded nothing.
     */
    @Transactional
    public CheckEvaluation measured(String deploymentId, String checkName, String version, Reading reading) {
        return measured(deploymentId, version, List.of(new CheckReading(checkName, reading))).get(0);
    }

    /**
     * One poll round of a deployment's checks, all taken of {@code version}, recorded in one transaction: the watch
     * locked once, its checks loaded once, each reading applied in the order given, the series points appended in
     * one batch. The rules are those of each reading on its own, judged against the watch as the round's earlier
     * readings left it: nothing is recorded for a reading when the watch stopped or is gone (a rollback's
     * verification that a reading just made UNVERIFIED stops it), when the watch has moved on to another version
     * since the poll began (a rollback being verified measures the restored version, and a reading of the
     * rolled-back canary taken just before — its last errors — says nothing about it), when its check is gone or not
     * judged now, for NO_DATA of a built-in check, and for NOT_YET. Returns what each reading did, in the round's
     * order, null where it recorded nothing.
     */
    @Transactional
    public List<CheckEvaluation> measured(String deploymentId, String version, List<CheckReading> round) {
        List<CheckEvaluation> results = new ArrayList<>(Collections.nCopies(round.size(), null));
        if (round.stream().allMatch(r -> r.reading().kind() == Reading.Kind.NOT_YET)) {
            return results; // the first scrape, only the baseline of the next: nothing to lock
        }
        Watch w = watches.lock(deploymentId).orElse(null);
        if (w == null || !w.status.isWatching()) {
            return results;
        }
        List<CheckState> states = checks.forDeployment(deploymentId);
        Instant now = WatchService.now();
        List<SeriesPoint> points = new ArrayList<>(round.size());
        for (int i = 0; i < round.size(); i++) {
            CheckReading r = round.get(i);
            CheckState state = recordable(w, states, version, r);
            if (state == null) {
                continue;
            }
            Reading reading = r.reading();
            results.set(i, apply(w, state, reading.measured() ? reading.value() : null, reading.reason(),
                    reading.baseline(), reading.observedAt() != null ? reading.observedAt() : now, now, points,
                    Telemetry.RECORDED));
            if (!reading.measured()) {
                LOG.debugf("check %s of deployment %s could not measure: %s", r.check(), deploymentId,
                        reading.reason());
            }
        }
        appendSeries(points);
        return results;
    }

    /** The check a polled reading is recorded against now, or null when the reading records nothing. */
    private static CheckState recordable(Watch w, List<CheckState> states, String version, CheckReading r) {
        if (r.reading().kind() == Reading.Kind.NOT_YET || !w.status.isWatching()) {
            return null;
        }
        if (!w.measuredVersion().equals(version)) {
            LOG.debugf("reading of check %s of deployment %s was of version %s; %s is watched now: not judged",
                    r.check(), w.deploymentId, version, w.measuredVersion());
            return null;
        }
        CheckState state = states.stream().filter(c -> c.name.equals(r.check())).findFirst().orElse(null);
        if (state == null || !judged(w, state)) {
            return null;
        }
        if (r.reading().kind() == Reading.Kind.NO_DATA && DefaultChecks.isBuiltIn(state.rule())) {
            // A built-in check on a metric the target does not expose: nothing measured, INCONCLUSIVE, never ERROR.
            return null;
        }
        return state;
    }

    /**
     * One measurement of one check, recorded and judged; a breach or recovery written with its event through the
     * outbox. With {@link Telemetry#SILENT} (the warm-up's watch is ACTIVE, never VERIFYING) nothing is counted or
     * logged, all else is the same.
     */
    private CheckEvaluation apply(Watch w, CheckState state, Double value, String reason, Double stable, Instant at,
            Instant now, List<SeriesPoint> points, Telemetry telemetry) {
        CheckRule rule = state.rule();
        Measures.Figure figure = figure(state, rule, value, stable, at);
        Double compared = figure.value();
        String why = figure.computed() ? reason : figure.missing();
        MeasurementOutcome outcome = Assessment.judge(rule, compared);
        Measurement m = new Measurement(outcome == MeasurementOutcome.ERROR ? null : compared, at, outcome, why);
        Assessment.Step step = Assessment.advance(progressOf(state), rule, m);
        record(state, step.progress(), m, points);
        if (telemetry.recorded()) {
            evaluated.increment();
        }
        String breachId = null;
        String recoveryId = null;
        if (w.status == WatchStatus.VERIFYING) {
            // Verifying a rollback: a breach on the restored version is RollbackVerified UNVERIFIED, not a breach.
            if (step.decision() == Decision.BREACH) {
                Operator op = rule.violated(compared);
                verifications.unverified(w, state.name, state.metric + " = " + compared + " " + op.symbol() + " "
                        + rule.threshold(op) + " on the restored version " + w.measuredVersion(), now);
            }
            return new CheckEvaluation(state.name, outcome, state.failures, state.failureLimit, state.inBreach,
                    null, compared, figure.baseline(), why, null);
        }
        switch (step.decision()) {
            case BREACH -> breachId = episodes.breached(w, state, rule, compared, figure.baseline(), at, now,
                    telemetry);
            case RECOVERED -> recoveryId = episodes.recovered(w, state, rule, compared, at, now, telemetry);
            case ERROR_LIMIT -> {
                if (telemetry.recorded()) {
                    LOG.warnf("check %s of deployment %s is ERROR: %d measurements in a row could not "
                            + "be taken (last: %s)", state.name, w.deploymentId, state.consecutiveErrors, why);
                }
            }
            case NONE -> { }
        }
        return new CheckEvaluation(state.name, outcome, state.failures, state.failureLimit, state.inBreach,
                breachId, compared, figure.baseline(), why, recoveryId);
    }

    /** The figure the check compares; a GROWTH_PER_HOUR check's trend takes the value in first. */
    private static Measures.Figure figure(CheckState state, CheckRule rule, Double value, Double stable,
            Instant at) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            return new Measures.Figure(value, null, null);
        }
        List<Measures.Point> trend = List.of();
        if (rule.measure() == Measure.GROWTH_PER_HOUR) {
            trend = Measures.within(Json.points(state.trend), Measures.point(at, value), rule.effectiveWindow());
            state.trend = Json.write(trend);
        }
        return Measures.figure(rule.measure(), value, stable, trend);
    }

    private static CheckProgress progressOf(CheckState s) {
        return new CheckProgress(s.measurements, s.failures, s.totalFailures, s.consecutiveErrors, s.inBreach,
                s.episodes, Json.doubles(s.failingValues));
    }

    /**
     * The measurements of one transaction go to the checks' series as one JDBC batch (the charts' history; the
     * analysis view's {@code recent} ring stays the last few in the check's row).
     */
    private void appendSeries(List<SeriesPoint> points) {
        int keep = config.seriesPoints();
        series.append(points, keep, Math.max(1, keep / 4));
    }

    private void record(CheckState s, CheckProgress p, Measurement m, List<SeriesPoint> points) {
        s.measurements = p.measurements();
        s.failures = p.failures();
        s.totalFailures = p.totalFailures();
        s.consecutiveErrors = p.consecutiveErrors();
        s.inBreach = p.inBreach();
        s.episodes = p.episodes();
        s.failingValues = Json.write(p.failingValues());
        s.recent = Json.appendBounded(s.recent, m, config.recentMeasurements());
        if (m.value() != null) {
            s.lastValue = m.value();
        }
        s.lastObservedAt = m.observedAt();
        s.seriesSeq++;
        points.add(new SeriesPoint(s.id, s.seriesSeq, m.observedAt(), m.value()));
    }
}
