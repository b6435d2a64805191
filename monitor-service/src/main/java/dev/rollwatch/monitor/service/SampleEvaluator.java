package dev.rollwatch.monitor.service;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.Operator;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.monitor.config.MonitorConfig;
import dev.rollwatch.monitor.domain.Assessment;
import dev.rollwatch.monitor.domain.Breach;
import dev.rollwatch.monitor.domain.CheckProgress;
import dev.rollwatch.monitor.domain.CheckRule;
import dev.rollwatch.monitor.domain.CheckState;
import dev.rollwatch.monitor.domain.Decision;
import dev.rollwatch.monitor.domain.Measurement;
import dev.rollwatch.monitor.domain.MeasurementOutcome;
import dev.rollwatch.monitor.domain.Watch;
import dev.rollwatch.monitor.provider.Reading;
import dev.rollwatch.monitor.repository.BreachRepository;
import dev.rollwatch.monitor.repository.CheckStateRepository;
import dev.rollwatch.monitor.repository.WatchRepository;
import dev.rollwatch.platform.outbox.Outbox;
import dev.rollwatch.platform.rest.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges measurements the moment they arrive, against the watch's checks for their metric, and announces each
 * new breach episode with one ThresholdBreached through the outbox, in the transaction that records the
 * measurement. Every provider feeds this one path.
 */
@ApplicationScoped
public class SampleEvaluator {

    public static final String SOURCE = Envelope.source("monitor-service");
    private static final Logger LOG = Logger.getLogger(SampleEvaluator.class);

    private final WatchRepository watches;
    private final CheckStateRepository checks;
    private final BreachRepository breaches;
    private final Outbox outbox;
    private final MonitorConfig config;
    private final MeterRegistry registry;
    private final Counter evaluated;

    public SampleEvaluator(WatchRepository watches, CheckStateRepository checks, BreachRepository breaches,
            Outbox outbox, MonitorConfig config, MeterRegistry registry) {
        this.watches = watches;
        this.checks = checks;
        this.breaches = breaches;
        this.outbox = outbox;
        this.config = config;
        this.registry = registry;
        this.evaluated = registry.counter("rollwatch.monitor.measurements");
    }

    /** A measured value for a deployment; {@code version} is the version it was measured on. */
    public record Sample(String metric, Double value, Instant observedAt, String version) {
    }

    /** What one sample did to one check. */
    public record CheckEvaluation(String check, MeasurementOutcome outcome, int failures, int failureLimit,
            boolean inBreach, String breachEventId) {
    }

    /** What one sample did: the checks it was judged by (none when no check watches its metric). */
    public record SampleEvaluation(int index, String metric, Double value, Instant observedAt, String version,
            List<CheckEvaluation> checks, String note) {
    }

    /**
     * Judges a batch in the order given. The watch row is locked for the transaction, so two batches for the same
     * deployment never interleave; a refusal (unknown or stopped watch) records nothing.
     */
    @Transactional
    public List<SampleEvaluation> evaluate(String deploymentId, List<Sample> samples) {
        Watch w = watches.lock(deploymentId).orElseThrow(() -> new ProblemException(404, "watch-not-found",
                "Not found", "no watch for deployment " + deploymentId
                        + " (unknown, or its DeploymentStarted has not arrived yet)"));
        if (!w.status.isWatching()) {
            throw ProblemException.conflict("watch-stopped", "the watch of deployment " + deploymentId
                    + " stopped at " + w.stoppedAt + " (deployment " + w.finishOutcome + "); samples are no longer "
                    + "evaluated").with("deploymentId", deploymentId);
        }
        List<CheckState> states = checks.forDeployment(deploymentId);
        Instant now = WatchService.now();
        List<SampleEvaluation> results = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            Instant at = s.observedAt() != null ? s.observedAt() : now;
            String version = s.version() != null ? s.version() : w.version;
            if (!version.equals(w.version)) {
                results.add(new SampleEvaluation(i, s.metric(), s.value(), at, version, List.of(),
                        "not judged: thresholds apply to the version under watch, " + w.version));
                continue;
            }
            List<CheckEvaluation> judged = new ArrayList<>();
            for (CheckState state : states) {
                if (state.metric.equals(s.metric())) {
                    judged.add(apply(w, state, s.value(), null, at, now));
                }
            }
            results.add(new SampleEvaluation(i, s.metric(), s.value(), at, version, judged,
                    judged.isEmpty() ? "no check of this deployment watches " + s.metric() : null));
        }
        return results;
    }

    /**
     * A polled provider's reading of one check (not of every check on the metric: two checks may measure the same
     * metric through different providers). Returns null when the watch stopped or the check is gone meanwhile.
     */
    @Transactional
    public CheckEvaluation measured(String deploymentId, String checkName, Reading reading) {
        Watch w = watches.lock(deploymentId).orElse(null);
        if (w == null || !w.status.isWatching()) {
            return null;
        }
        CheckState state = checks.forDeployment(deploymentId).stream().filter(c -> c.name.equals(checkName))
                .findFirst().orElse(null);
        if (state == null) {
            return null;
        }
        Instant now = WatchService.now();
        CheckEvaluation e = apply(w, state, reading.measured() ? reading.value() : null, reading.reason(),
                reading.observedAt() != null ? reading.observedAt() : now, now);
        if (!reading.measured()) {
            LOG.debugf("check %s of deployment %s could not measure: %s", checkName, deploymentId, reading.reason());
        }
        return e;
    }

    private CheckEvaluation apply(Watch w, CheckState state, Double value, String reason, Instant at, Instant now) {
        CheckRule rule = state.rule();
        MeasurementOutcome outcome = Assessment.judge(rule, value);
        Measurement m = new Measurement(outcome == MeasurementOutcome.ERROR ? null : value, at, outcome, reason);
        Assessment.Step step = Assessment.advance(progressOf(state), rule, m);
        record(state, step.progress(), m);
        evaluated.increment();
        String breachId = null;
        switch (step.decision()) {
            case BREACH -> breachId = emitBreach(w, state, rule, value, at, now);
            case RECOVERED -> LOG.infof("check %s of deployment %s recovered: %s = %s at %s", state.name,
                    w.deploymentId, state.metric, value, at);
            case ERROR_LIMIT -> LOG.warnf("check %s of deployment %s is ERROR: %d measurements in a row could not "
                    + "be taken", state.name, w.deploymentId, state.consecutiveErrors);
            case NONE -> { }
        }
        return new CheckEvaluation(state.name, outcome, state.failures, state.failureLimit, state.inBreach,
                breachId);
    }

    private String emitBreach(Watch w, CheckState state, CheckRule rule, Double value, Instant at, Instant now) {
        Operator operator = rule.violated(value);
        double threshold = rule.threshold(operator);
        List<Double> observed = Json.doubles(state.failingValues);
        String eventId = Breach.eventId(w.deploymentId, state.name, state.episodes);
        ThresholdBreached data = new ThresholdBreached(w.service, w.environment, w.version, state.name,
                state.metric, state.query, observed, threshold, operator, rule.window(), rule.severity(),
                state.failures, state.failureLimit, at, w.stepIndex);

        Breach b = new Breach();
        b.eventId = eventId;
        b.deploymentId = w.deploymentId;
        b.checkName = state.name;
        b.metric = state.metric;
        b.episode = state.episodes;
        b.severity = rule.severity();
        b.operator = operator;
        b.threshold = threshold;
        b.observed = state.failingValues;
        b.failures = state.failures;
        b.failureLimit = state.failureLimit;
        b.stepIndex = w.stepIndex;
        b.observedAt = at;
        b.emittedAt = now;
        breaches.persist(b);
        outbox.publish(new Envelope<>(eventId, SOURCE, null, w.deploymentId, now, w.startedEventId,
                w.deploymentId, w.deploymentId, data));
        registry.counter("rollwatch.monitor.breaches", "severity", rule.severity().name()).increment();
        LOG.infof("breach deployment=%s check=%s episode=%d event=%s: %s %s %s %s (%d/%d failures, %s, step %s, "
                + "caused by %s)", w.deploymentId, state.name, state.episodes, eventId, state.metric, value,
                operator.symbol(), threshold, state.failures, state.failureLimit, rule.severity(), w.stepIndex,
                w.startedEventId);
        return eventId;
    }

    private static CheckProgress progressOf(CheckState s) {
        return new CheckProgress(s.measurements, s.failures, s.totalFailures, s.consecutiveErrors, s.inBreach,
                s.episodes, Json.doubles(s.failingValues));
    }

    private void record(CheckState s, CheckProgress p, Measurement m) {
        s.measurements = p.measurements();
        s.failures = p.failures();
        s.totalFailures = p.totalFailures();
        s.consecutiveErrors = p.consecutiveErrors();
        s.inBreach = p.inBreach();
        s.episodes = p.episodes();
        s.failingValues = Json.write(p.failingValues());
        List<Measurement> recent = new ArrayList<>(Json.measurements(s.recent));
        recent.add(m);
        int keep = config.recentMeasurements();
        s.recent = Json.write(recent.size() > keep ? recent.subList(recent.size() - keep, recent.size()) : recent);
        if (m.value() != null) {
            s.lastValue = m.value();
        }
        s.lastObservedAt = m.observedAt();
    }
}
