package dev.rollwatch.monitor.service;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.Measure;
import dev.rollwatch.events.Operator;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.ThresholdRecovered;
import dev.rollwatch.monitor.domain.Breach;
import dev.rollwatch.monitor.domain.CheckRule;
import dev.rollwatch.monitor.domain.CheckState;
import dev.rollwatch.monitor.domain.Measures;
import dev.rollwatch.monitor.domain.WatchStatus;
import dev.rollwatch.monitor.domain.Watch;
import dev.rollwatch.monitor.repository.BreachRepository;
import dev.rollwatch.platform.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A breach episode's two events, written through the outbox in the transaction that records the deciding
 * measurement: ThresholdBreached when it opens, ThresholdRecovered when the first passing measurement closes it.
 * Both ids are derived from (deployment, check, episode), and both are keys (breach table, outbox), so neither can
 * be emitted twice, whatever restarts or second instances do.
 */
@ApplicationScoped
public class EpisodeEvents {

    private static final Logger LOG = Logger.getLogger(EpisodeEvents.class);

    private final BreachRepository breaches;
    private final Outbox outbox;
    private final MeterRegistry registry;

    public EpisodeEvents(BreachRepository breaches, Outbox outbox, MeterRegistry registry) {
        this.breaches = breaches;
        this.outbox = outbox;
        this.registry = registry;
    }

    /**
     * The episode {@code state.episodes} opened at {@code at}: one ThresholdBreached. Returns its id. The breach row
     * and the outbox row are written whatever {@code telemetry} says; only a {@link Telemetry#RECORDED} breach is
     * counted and logged.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public String breached(Watch w, CheckState state, CheckRule rule, double value, Double baseline, Instant at,
            Instant now, Telemetry telemetry) {
        Operator operator = rule.violated(value);
        double threshold = rule.threshold(operator);
        List<Double> observed = Json.doubles(state.failingValues);
        String ruleVersion = state.ruleVersion != null ? state.ruleVersion : rule.ruleVersion();
        String eventId = Breach.eventId(w.deploymentId, state.name, state.episodes);
        String kind = state.isCriterion() ? ThresholdBreached.KIND_CRITERIA : ThresholdBreached.KIND_THRESHOLD;
        String phase = phase(w);
        ThresholdBreached data = new ThresholdBreached(w.service, w.environment, w.version, state.name,
                state.metric, state.query, observed, threshold, operator, rule.window(), rule.severity(),
                state.failures, state.failureLimit, at, w.stepIndex, rule.measure(), baseline, ruleVersion, kind,
                phase, trendPerHour(state), w.stepStartedAt, w.deploymentStartedAt);

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
        b.measure = rule.measure();
        b.baseline = baseline;
        b.ruleVersion = ruleVersion;
        b.kind = kind;
        b.phase = phase;
        breaches.persist(b);
        outbox.publish(new Envelope<>(eventId, SampleEvaluator.SOURCE, null, w.deploymentId, now, w.startedEventId,
                w.deploymentId, w.deploymentId, data));
        if (!telemetry.recorded()) {
            return eventId;
        }
        registry.counter("rollwatch.monitor.breaches", "severity", rule.severity().name()).increment();
        LOG.infof("breach deployment=%s check=%s episode=%d event=%s: %s %s %s %s %s (baseline %s, %d/%d failures, "
                + "%s, rule %s, step %s, caused by %s)", w.deploymentId, state.name, state.episodes, eventId,
                rule.measure(), state.metric, value, operator.symbol(), threshold, baseline, state.failures,
                state.failureLimit, rule.severity(), ruleVersion, w.stepIndex, w.startedEventId);
        return eventId;
    }

    /** {@code bake} while the watch is BAKING after SUCCEEDED, else {@code rollout}. */
    static String phase(Watch w) {
        return w.status == WatchStatus.BAKING ? ThresholdBreached.PHASE_BAKE : ThresholdBreached.PHASE_ROLLOUT;
    }

    /** The least-squares slope per hour of the check's recent figures; null with fewer than two. */
    static Double trendPerHour(CheckState state) {
        List<Measures.Point> points = Json.measurements(state.recent).stream()
                .filter(m -> m.value() != null && m.observedAt() != null)
                .map(m -> Measures.point(m.observedAt(), m.value())).toList();
        return Measures.slopePerHour(points);
    }

    /** The check name of the outage episodes (reserved: a deployment's check may not be named so). */
    public static final String AVAILABILITY = "availability";
    /** The rule version of the outage detection. */
    public static final String OUTAGE_RULE = "outage-v1";

    /**
     * The watch's target has been unreachable for the outage window: outage episode {@code w.outageEpisodes} opens
     * with one ThresholdBreached of kind {@code unavailable}, P0 (runbook 002: application down → P0); {@code threshold}
     * is the window in seconds, {@code observed} the seconds the target has been unreachable. Returns its id.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public String unavailable(Watch w, long secondsDown, Duration window, String reason, Instant now) {
        String eventId = Breach.eventId(w.deploymentId, AVAILABILITY, w.outageEpisodes);
        double threshold = window.toSeconds();
        List<Double> observed = List.of((double) secondsDown);
        String phase = phase(w);
        ThresholdBreached data = new ThresholdBreached(w.service, w.environment, w.version, AVAILABILITY,
                AVAILABILITY, null, observed, threshold, Operator.GTE, window, Severity.P0, 1, 1, now, w.stepIndex,
                Measure.VALUE, null, OUTAGE_RULE, ThresholdBreached.KIND_UNAVAILABLE, phase, null, w.stepStartedAt,
                w.deploymentStartedAt);
        Breach b = new Breach();
        b.eventId = eventId;
        b.deploymentId = w.deploymentId;
        b.checkName = AVAILABILITY;
        b.metric = AVAILABILITY;
        b.episode = w.outageEpisodes;
        b.severity = Severity.P0;
        b.operator = Operator.GTE;
        b.threshold = threshold;
        b.observed = Json.write(observed);
        b.failures = 1;
        b.failureLimit = 1;
        b.stepIndex = w.stepIndex;
        b.observedAt = now;
        b.emittedAt = now;
        b.ruleVersion = OUTAGE_RULE;
        b.kind = ThresholdBreached.KIND_UNAVAILABLE;
        b.phase = phase;
        breaches.persist(b);
        outbox.publish(new Envelope<>(eventId, SampleEvaluator.SOURCE, null, w.deploymentId, now, w.startedEventId,
                w.deploymentId, w.deploymentId, data));
        registry.counter("rollwatch.monitor.breaches", "severity", Severity.P0.name()).increment();
        LOG.infof("outage deployment=%s episode=%d event=%s: %s %s unreachable for %ds (window %ds, %s): %s",
                w.deploymentId, w.outageEpisodes, eventId, w.service, w.version, secondsDown, window.toSeconds(),
                phase, reason);
        return eventId;
    }

    /** The target answers again: the open outage episode closes with one ThresholdRecovered. Returns its id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public String available(Watch w, Instant now) {
        String breachId = Breach.eventId(w.deploymentId, AVAILABILITY, w.outageEpisodes);
        Breach b = breaches.findById(breachId);
        if (b == null || b.recoveryEventId != null) {
            return b == null ? null : b.recoveryEventId;
        }
        String eventId = Breach.recoveryEventId(w.deploymentId, AVAILABILITY, w.outageEpisodes);
        ThresholdRecovered data = new ThresholdRecovered(w.service, w.environment, w.version, AVAILABILITY,
                AVAILABILITY, breachId, b.observedAt, now, List.of(0.0), b.threshold, b.operator, b.severity,
                w.stepIndex);
        b.recoveredAt = now;
        b.recoveryEventId = eventId;
        outbox.publish(new Envelope<>(eventId, SampleEvaluator.SOURCE, null, w.deploymentId, now, breachId,
                w.deploymentId, w.deploymentId, data));
        registry.counter("rollwatch.monitor.recoveries", "severity", b.severity.name()).increment();
        LOG.infof("outage over deployment=%s episode=%d event=%s: %s %s answers again (breach %s at %s)",
                w.deploymentId, w.outageEpisodes, eventId, w.service, w.version, breachId, b.observedAt);
        return eventId;
    }

    /**
     * The open episode {@code state.episodes} closed with a passing measurement of {@code value} at {@code at}:
     * one ThresholdRecovered, caused by the episode's ThresholdBreached. Returns its id. Counted and logged only
     * when {@link Telemetry#RECORDED}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public String recovered(Watch w, CheckState state, CheckRule rule, double value, Instant at, Instant now,
            Telemetry telemetry) {
        String breachId = Breach.eventId(w.deploymentId, state.name, state.episodes);
        Breach b = breaches.findById(breachId);
        if (b == null) {
            // Cannot happen while the episode counter and the breach row are written together; say so if it does.
            LOG.errorf("check %s of deployment %s recovered from episode %d, but its breach %s is not recorded: no "
                    + "ThresholdRecovered", state.name, w.deploymentId, state.episodes, breachId);
            return null;
        }
        if (b.recoveryEventId != null) {
            return b.recoveryEventId;
        }
        String eventId = Breach.recoveryEventId(w.deploymentId, state.name, state.episodes);
        ThresholdRecovered data = new ThresholdRecovered(w.service, w.environment, w.version, state.name,
                state.metric, breachId, b.observedAt, at, List.of(value), b.threshold, b.operator, b.severity,
                w.stepIndex);
        b.recoveredAt = at;
        b.recoveryEventId = eventId;
        outbox.publish(new Envelope<>(eventId, SampleEvaluator.SOURCE, null, w.deploymentId, now, breachId,
                w.deploymentId, w.deploymentId, data));
        if (!telemetry.recorded()) {
            return eventId;
        }
        registry.counter("rollwatch.monitor.recoveries", "severity", b.severity.name()).increment();
        LOG.infof("recovery deployment=%s check=%s episode=%d event=%s: %s = %s at %s is within %s %s again "
                + "(breach %s at %s, caused by it)", w.deploymentId, state.name, state.episodes, eventId,
                state.metric, value, at, b.operator.symbol(), b.threshold, breachId, b.observedAt);
        return eventId;
    }
}
