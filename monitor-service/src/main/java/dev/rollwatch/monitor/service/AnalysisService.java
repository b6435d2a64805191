package dev.rollwatch.monitor.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.rollwatch.events.AnalysisCompleted;
import dev.rollwatch.events.CheckResult;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.StepStarted;
import dev.rollwatch.events.Verdict;
import dev.rollwatch.monitor.domain.AnalysisRun;
import dev.rollwatch.monitor.domain.Assessment;
import dev.rollwatch.monitor.domain.CheckProgress;
import dev.rollwatch.monitor.domain.CheckState;
import dev.rollwatch.monitor.domain.Watch;
import dev.rollwatch.monitor.repository.AnalysisRunRepository;
import dev.rollwatch.monitor.repository.CheckStateRepository;
import dev.rollwatch.monitor.repository.WatchRepository;
import dev.rollwatch.platform.outbox.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Analysis steps: StepStarted(kind ANALYSIS) opens a run with each check's counters as a baseline; at the step's
 * deadline the run closes with one AnalysisCompleted judging only what was measured during the step.
 */
@ApplicationScoped
public class AnalysisService {

    private static final Logger LOG = Logger.getLogger(AnalysisService.class);
    private static final Duration DEFAULT_DURATION = Duration.ofMinutes(1);
    private static final TypeReference<Map<String, CheckProgress>> BASELINE = new TypeReference<>() { };

    private final WatchRepository watches;
    private final CheckStateRepository checks;
    private final AnalysisRunRepository runs;
    private final Outbox outbox;

    public AnalysisService(WatchRepository watches, CheckStateRepository checks, AnalysisRunRepository runs,
            Outbox outbox) {
        this.watches = watches;
        this.checks = checks;
        this.runs = runs;
        this.outbox = outbox;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void begin(Envelope<StepStarted> event) {
        String id = event.subject();
        Watch w = watches.lock(id).orElse(null);
        if (w == null) {
            LOG.warnf("analysis step %d of deployment %s not opened: no watch (event %s)", event.data().stepIndex(),
                    id, event.id());
            return;
        }
        open(w, event.data().stepIndex(), event.id(), event.data().deadline());
    }

    /**
     * Opens the analysis run of step {@code stepIndex} of a watch the caller holds locked, with each check's counters
     * now as its baseline; a stopped watch, or a step whose run is open with no step back since it opened (a
     * duplicate StepStarted), changes nothing. A step whose earlier run completed, or that the watch stepped back
     * from since its run opened, is being re-run (the retry after a step back): it opens a new run, the next
     * attempt, whose criteria start afresh (see {@link #retry}) and whose AnalysisCompleted is a new event.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void open(Watch w, int stepIndex, String startedEventId, Instant deadline) {
        String id = w.deploymentId;
        if (!w.status.isWatching()) {
            LOG.warnf("analysis step %d of deployment %s not opened: watch stopped (event %s)", stepIndex, id,
                    startedEventId);
            return;
        }
        AnalysisRun previous = runs.latest(id, stepIndex).orElse(null);
        int attempt = 0;
        if (previous != null) {
            // A re-run: the earlier run has completed, or the watch stepped back since it opened (the step back
            // and the retry's StepStarted travel on the same topic, in order, so the step back is followed first).
            boolean rerun = previous.completedAt != null || previous.stepBacks < w.stepBacks;
            if (!rerun || previous.startedEventId.equals(startedEventId)) {
                LOG.warnf("analysis step %d of deployment %s not opened: already open (event %s)", stepIndex, id,
                        startedEventId);
                return;
            }
            attempt = previous.attempt + 1;
            if (previous.completedAt == null) {
                // The earlier attempt was aborted (step back) before its deadline: it gives no verdict, the
                // deploy service would take it for the retry's.
                previous.completedAt = WatchService.now();
                LOG.infof("analysis step %d attempt %d of deployment %s superseded by the re-run (event %s)",
                        stepIndex, previous.attempt, id, startedEventId);
            }
            retry(id, stepIndex);
        }
        Map<String, CheckProgress> baseline = CheckFigures.snapshot(checks.forDeployment(id));
        // This step's own criteria are judged from now until its StepCompleted.
        w.criteriaStep = stepIndex;
        AnalysisRun run = new AnalysisRun();
        run.deploymentId = id;
        run.stepIndex = stepIndex;
        run.attempt = attempt;
        run.stepBacks = w.stepBacks;
        run.startedEventId = startedEventId;
        run.deadline = deadline != null ? deadline : WatchService.now().plus(DEFAULT_DURATION);
        run.baseline = Json.write(baseline);
        runs.persist(run);
        LOG.infof("analysis step %d (attempt %d) of deployment %s open until %s (event %s)", run.stepIndex,
                run.attempt, id, run.deadline, startedEventId);
    }

    /**
     * The step's criteria start afresh for a re-run: each one's progress of the earlier attempt (measurements,
     * failures, failing values, an open breach) is reset. An open breach episode is closed without a
     * ThresholdRecovered (nothing measured good values; the failure already led to the step back); the episode count
     * is kept, so a failure of the retry breaches again as a new episode with a new ThresholdBreached.
     */
    private void retry(String deploymentId, int stepIndex) {
        for (CheckState c : checks.forDeployment(deploymentId)) {
            if (c.stepIndex != null && c.stepIndex == stepIndex) {
                c.retry();
            }
        }
    }

    /** The AnalysisCompleted of a run: one per attempt (the first keeps the id it always had). */
    static String completedEventId(String deploymentId, int stepIndex, int attempt) {
        String name = "analysis-completed/" + deploymentId + "/" + stepIndex + (attempt == 0 ? "" : "/" + attempt);
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Scheduled(every = "${rollwatch.monitor.bake-check-interval:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void completeDue() {
        QuarkusTransaction.requiringNew().run(() -> {
            for (AnalysisRun run : runs.lockDue(Instant.now(), 100)) {
                complete(run);
            }
        });
    }

    private void complete(AnalysisRun run) {
        Watch w = watches.findById(run.deploymentId);
        Map<String, CheckProgress> baseline = baseline(run.baseline);
        // The deployment's checks and this step's own criteria; other steps' criteria are not judged here.
        List<CheckState> judged = checks.forDeployment(run.deploymentId).stream()
                .filter(s -> s.stepIndex == null || s.stepIndex == run.stepIndex).toList();
        CheckFigures.Judged figures = CheckFigures.judge(judged, baseline);
        List<CheckResult> results = figures.results();
        Verdict verdict = figures.verdict();
        Instant now = WatchService.now();
        run.completedAt = now;
        run.verdict = verdict;
        String eventId = completedEventId(run.deploymentId, run.stepIndex, run.attempt);
        outbox.publish(new Envelope<>(eventId, SampleEvaluator.SOURCE, null, run.deploymentId, now,
                run.startedEventId, run.deploymentId, run.deploymentId,
                new AnalysisCompleted(run.stepIndex, verdict, results)));
        LOG.infof("analysis step %d (attempt %d) of deployment %s (%s) is %s (event %s, caused by %s)",
                run.stepIndex, run.attempt, run.deploymentId, w == null ? "?" : w.service, verdict, eventId, run.startedEventId);
    }

    static Map<String, CheckProgress> baseline(String json) {
        try {
            return EventCodec.mapper().readValue(json, BASELINE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable analysis baseline", e);
        }
    }
}
