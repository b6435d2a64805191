package dev.rollwatch.monitor.service;

import dev.rollwatch.events.BakeCheckpoint;
import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.monitor.domain.BakeSchedule;
import dev.rollwatch.monitor.domain.CheckProgress;
import dev.rollwatch.platform.outbox.Outbox;
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

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
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
    private final Outbox outbox;
    private final Clock clock;
    private final Counter started;
    private final Counter stopped;

    public WatchService(WatchRepository watches, CheckStateRepository checks, MonitorConfig config,
            EarlyEvents early, AnalysisService analyses, Outbox outbox, Clock clock, MeterRegistry registry) {
        this.outbox = outbox;
        this.clock = clock;
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
        start(event, Telemetry.RECORDED);
    }

    /**
     * As {@link #start(Envelope)}; {@link Telemetry#SILENT} (the start-up warm-up, in a transaction it rolls back)
     * creates the same watch and checks but counts and logs nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void start(Envelope<DeploymentStarted> event, Telemetry telemetry) {
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
        w.targetUrl = d.target().url();
        w.deploymentStartedAt = event.time() != null ? event.time() : now;
        w.bakeWindowMs = d.bakeWindow() == null ? null : d.bakeWindow().toMillis();
        w.status = WatchStatus.ACTIVE;
        w.startedEventId = event.id();
        w.startedEventSource = event.source();
        w.createdAt = now;
        w.updatedAt = now;
        watches.persist(w);
        for (int i = 0; i < rules.size(); i++) {
            checks.persist(CheckState.of(id, i, rules.get(i)));
        }
        // Each ANALYSIS step's own criteria: judged only while that step runs (SampleEvaluator.judged).
        int position = rules.size();
        for (int step = 0; step < d.steps().size(); step++) {
            StepSpec spec = d.steps().get(step);
            if (spec.kind() == StepKind.ANALYSIS && spec.criteria() != null) {
                for (CheckSpec criterion : spec.criteria()) {
                    CheckState c = CheckState.of(id, position++, CheckRule.criterion(criterion, step));
                    c.stepIndex = step;
                    checks.persist(c);
                }
            }
        }
        if (telemetry.recorded()) {
            started.increment();
            LOG.infof("watch %s started for %s %s %s with %d checks%s (event %s)", id, d.service(), d.environment(),
                    d.version(), rules.size(), d.analysis().checks().isEmpty() ? " (built-in defaults)" : "",
                    event.id());
        }
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
        return followStep(event, stepIndex, weight, analysis, deadline, false);
    }

    /**
     * As {@link #followStep(Envelope, int, Integer, boolean, Instant)}; {@code started} says it is the step's
     * StepStarted (its time is when the step started, carried on breaches), else its StepCompleted (which ends the
     * judging of the step's own criteria).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean followStep(Envelope<?> event, int stepIndex, Integer weight, boolean analysis,
            Instant deadline, boolean started) {
        // Locked: step-started and step-completed arrive on separate channels (threads) for the same watch.
        Watch w = watches.lock(event.subject()).orElse(null);
        if (w == null) {
            early.keep(event.id(), event.subject(), analysis ? EarlyEvent.Kind.ANALYSIS : EarlyEvent.Kind.STEP,
                    stepIndex, weight, deadline, null);
            return false;
        }
        Integer before = w.stepIndex;
        Instant stepStartedBefore = w.stepStartedAt;
        if (w.follow(stepIndex, weight, event.time(), now())) {
            if (started && (before == null || before != stepIndex || w.stepStartedAt == null)) {
                w.stepStartedAt = event.time() != null ? event.time() : now();
            }
            // A step's StepCompleted ends the judging of its criteria, unless it is older than the step's current
            // start (the completion of an earlier attempt of a step re-run after a step back).
            boolean stale = event.time() != null && stepStartedBefore != null
                    && event.time().isBefore(stepStartedBefore);
            if (!started && !stale && w.criteriaStep != null && w.criteriaStep == stepIndex) {
                w.criteriaStep = null;
            }
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
        w.finish(outcome, bakeWindowOf(w), now());
        if (w.status == WatchStatus.BAKING && w.bakeBaseline == null) {
            w.bakeBaseline = Json.write(CheckFigures.snapshot(deploymentChecks(w)));
        }
        if (wasWatching && w.status == WatchStatus.STOPPED) {
            stopped.increment();
        }
        LOG.infof("watch %s %s after %s (bake until %s, event %s)", w.deploymentId, w.status, outcome, w.bakeUntil,
                eventId);
    }

    /** The deployment's own bake window, or the monitor's default. */
    Duration bakeWindowOf(Watch w) {
        return w.bakeWindowMs != null ? Duration.ofMillis(w.bakeWindowMs) : config.bakeWindow();
    }

    /**
     * The bake window's checkpoints (runbooks 001/002: 15, 30 and 60 minutes after the deploy): one BakeCheckpoint
     * with every check's figures and the verdict so far at each, {@code last} at the window's end, after which the
     * watch stops.
     */
    @Scheduled(every = "${rollwatch.monitor.bake-check-interval:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void bake() {
        QuarkusTransaction.requiringNew().run(() -> {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            for (Watch w : watches.lockBaking(100)) {
                bake(w, now);
            }
        });
    }

    void bake(Watch w, Instant now) {
        Duration window = bakeWindowOf(w);
        if (w.succeededAt == null) {
            // A watch that began baking before checkpoints existed: stop at the end of its window.
            if (w.bakeUntil != null && !w.bakeUntil.isAfter(now)) {
                stopBaked(w, now);
            }
            return;
        }
        List<Duration> checkpoints = BakeSchedule.checkpoints(config.bakeCheckpoints(), window);
        int due = BakeSchedule.due(checkpoints, w.succeededAt, now);
        while (w.bakeCheckpointsDone < due) {
            checkpoint(w, checkpoints, w.bakeCheckpointsDone, window, now);
            w.bakeCheckpointsDone++;
        }
        if (w.bakeCheckpointsDone >= checkpoints.size()) {
            stopBaked(w, now);
        }
    }

    private void checkpoint(Watch w, List<Duration> checkpoints, int i, Duration window, Instant now) {
        Map<String, CheckProgress> baseline = w.bakeBaseline == null ? Map.of()
                : AnalysisService.baseline(w.bakeBaseline);
        CheckFigures.Judged figures = CheckFigures.judge(deploymentChecks(w), baseline);
        boolean last = i == checkpoints.size() - 1;
        String eventId = UUID.nameUUIDFromBytes(("bake-checkpoint/" + w.deploymentId + "/" + (i + 1))
                .getBytes(StandardCharsets.UTF_8)).toString();
        outbox.publish(new Envelope<>(eventId, SampleEvaluator.SOURCE, null, w.deploymentId, now, w.startedEventId,
                w.deploymentId, w.deploymentId, new BakeCheckpoint(w.service, w.environment, w.version,
                        checkpoints.get(i), i + 1, checkpoints.size(), window, w.succeededAt, figures.verdict(), last,
                        figures.results())));
        LOG.infof("watch %s bake checkpoint %d/%d at %s: %s%s (event %s)", w.deploymentId, i + 1,
                checkpoints.size(), checkpoints.get(i), figures.verdict(), last ? ", the last" : "", eventId);
    }

    private void stopBaked(Watch w, Instant now) {
        w.stop(now);
        stopped.increment();
        LOG.infof("watch %s STOPPED: bake window ended at %s", w.deploymentId, w.bakeUntil);
    }

    /** A rollback was requested: a baking deployment's bake window ends (no more checkpoints). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void rollbackRequested(Envelope<?> event) {
        Watch w = watches.lock(event.subject()).orElse(null);
        if (w != null && w.status == WatchStatus.BAKING) {
            w.stop(now());
            stopped.increment();
            LOG.infof("watch %s STOPPED: the bake window ended with a rollback request (event %s)", w.deploymentId,
                    event.id());
        }
    }

    private List<CheckState> deploymentChecks(Watch w) {
        return checks.forDeployment(w.deploymentId).stream().filter(s -> !s.isCriterion()).toList();
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
