package dev.rollwatch.monitor.service;

import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.monitor.config.MonitorConfig;
import dev.rollwatch.monitor.domain.CheckRule;
import dev.rollwatch.monitor.domain.CheckState;
import dev.rollwatch.monitor.domain.DefaultChecks;
import dev.rollwatch.monitor.domain.EarlyEvent;
import dev.rollwatch.monitor.domain.Watch;
import dev.rollwatch.monitor.domain.WatchStatus;
import dev.rollwatch.monitor.repository.CheckStateRepository;
import dev.rollwatch.monitor.repository.WatchRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Starts, follows and stops watches as the deployment's events arrive. */
@ApplicationScoped
public class WatchService {

    private static final Logger LOG = Logger.getLogger(WatchService.class);

    private final WatchRepository watches;
    private final CheckStateRepository checks;
    private final MonitorConfig config;
    private final EarlyEvents early;
    private final AnalysisService analyses;
    private final Counter started;
    private final Counter stopped;

    public WatchService(WatchRepository watches, CheckStateRepository checks, MonitorConfig config,
            EarlyEvents early, AnalysisService analyses, MeterRegistry registry) {
        this.watches = watches;
        this.early = early;
        this.analyses = analyses;
        this.checks = checks;
        this.config = config;
        this.started = registry.counter("rollwatch.monitor.watches.started");
        this.stopped = registry.counter("rollwatch.monitor.watches.stopped");
    }

    /** The checks a deployment asked for, or the runbooks' defaults when it asked for none. */
    public static List<CheckRule> rulesFor(DeploymentStarted deployment) {
        List<CheckSpec> specs = deployment.analysis().checks();
        return specs.isEmpty() ? DefaultChecks.ALL : specs.stream().map(CheckRule::from).toList();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void start(Envelope<DeploymentStarted> event) {
        String id = event.subject();
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("DeploymentStarted " + event.id() + " has no subject (deployment id)");
        }
        if (watches.findByIdOptional(id).isPresent()) {
            LOG.infof("watch %s exists already; DeploymentStarted %s changes nothing", id, event.id());
            return;
        }
        DeploymentStarted d = event.data();
        List<CheckRule> rules = rulesFor(d);
        Instant now = now();
        Watch w = new Watch();
        w.deploymentId = id;
        w.service = d.service();
        w.environment = d.environment();
        w.version = d.version();
        w.previousVersion = d.previousVersion();
        w.metricsUrl = d.target().metricsUrl();
        w.status = WatchStatus.ACTIVE;
        w.startedEventId = event.id();
        w.startedEventSource = event.source();
        w.createdAt = now;
        w.updatedAt = now;
        watches.persist(w);
        for (int i = 0; i < rules.size(); i++) {
            checks.persist(CheckState.of(id, i, rules.get(i)));
        }
        started.increment();
        LOG.infof("watch %s started for %s %s %s with %d checks%s (event %s)", id, d.service(), d.environment(),
                d.version(), rules.size(), d.analysis().checks().isEmpty() ? " (built-in defaults)" : "", event.id());
        applyEarly(w, now);
    }

    /** The step and finish events that arrived before DeploymentStarted, applied in their order. */
    private void applyEarly(Watch w, Instant now) {
        for (EarlyEvent e : early.take(w.deploymentId)) {
            switch (e.kind) {
                case STEP, ANALYSIS -> {
                    w.follow(e.stepIndex, e.weight, now);
                    if (e.kind == EarlyEvent.Kind.ANALYSIS) {
                        analyses.open(w, e.stepIndex, e.eventId, e.deadline);
                    }
                }
                case FINISHED -> finish(w, e.outcome, e.eventId);
            }
            LOG.infof("watch %s applied %s event %s that came before it (step %s)", w.deploymentId, e.kind,
                    e.eventId, e.stepIndex);
        }
    }

    /**
     * A step started or completed. With no watch yet (the DeploymentStarted has not been applied: it travels on
     * another topic), the step is kept and applied when the watch starts; an analysis step's run opens then.
     *
     * @return false when there was no watch yet and the step was kept
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean followStep(Envelope<?> event, int stepIndex, Integer weight, boolean analysis,
            Instant deadline) {
        // Locked: step-started and step-completed arrive on separate channels (threads) for the same watch.
        Watch w = watches.lock(event.subject()).orElse(null);
        if (w == null) {
            early.keep(event.id(), event.subject(), analysis ? EarlyEvent.Kind.ANALYSIS : EarlyEvent.Kind.STEP,
                    stepIndex, weight, deadline, null);
            return false;
        }
        if (w.follow(stepIndex, weight, now())) {
            LOG.infof("watch %s at step %d, weight %s (event %s)", w.deploymentId, w.stepIndex, w.weight, event.id());
        }
        return true;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void finish(Envelope<DeploymentFinished> event) {
        Watch w = watches.lock(event.subject()).orElse(null);
        if (w == null) {
            early.keep(event.id(), event.subject(), EarlyEvent.Kind.FINISHED, null, null, null,
                    event.data().outcome());
            return;
        }
        finish(w, event.data().outcome(), event.id());
    }

    private void finish(Watch w, DeploymentOutcome outcome, String eventId) {
        boolean wasWatching = w.status.isWatching();
        w.finish(outcome, config.bakeWindow(), now());
        if (wasWatching && w.status == WatchStatus.STOPPED) {
            stopped.increment();
        }
        LOG.infof("watch %s %s after %s (bake until %s, event %s)", w.deploymentId, w.status, outcome, w.bakeUntil,
                eventId);
    }

    /** Stops the watches whose bake window has passed. */
    @Scheduled(every = "${rollwatch.monitor.bake-check-interval:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void stopBaked() {
        QuarkusTransaction.requiringNew().run(() -> {
            Instant now = now();
            for (Watch w : watches.lockBakedBefore(now, 100)) {
                w.stop(now);
                stopped.increment();
                LOG.infof("watch %s STOPPED: bake window ended at %s", w.deploymentId, w.bakeUntil);
            }
        });
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
