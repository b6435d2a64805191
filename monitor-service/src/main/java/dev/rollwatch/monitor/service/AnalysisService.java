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
     * now as its baseline; a stopped watch or a run already open changes nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void open(Watch w, int stepIndex, String startedEventId, Instant deadline) {
        String id = w.deploymentId;
        if (!w.status.isWatching() || runs.exists(id, stepIndex)) {
            LOG.warnf("analysis step %d of deployment %s not opened: %s (event %s)", stepIndex, id,
                    w.status.isWatching() ? "already open" : "watch stopped", startedEventId);
            return;
        }
        Map<String, CheckProgress> baseline = CheckFigures.snapshot(checks.forDeployment(id));
        // This step's own criteria are judged from now until its StepCompleted.
        w.criteriaStep = stepIndex;
        AnalysisRun run = new AnalysisRun();
        run.deploymentId = id;
        run.stepIndex = stepIndex;
        run.startedEventId = startedEventId;
        run.deadline = deadline != null ? deadline : WatchService.now().plus(DEFAULT_DURATION);
        run.baseline = Json.write(baseline);
        runs.persist(run);
        LOG.infof("analysis step %d of deployment %s open until %s (event %s)", run.stepIndex, id, run.deadline,
                startedEventId);
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
        String eventId = UUID.nameUUIDFromBytes(("analysis-completed/" + run.deploymentId + "/" + run.stepIndex)
                .getBytes(StandardCharsets.UTF_8)).toString();
        outbox.publish(new Envelope<>(eventId, SampleEvaluator.SOURCE, null, run.deploymentId, now,
                run.startedEventId, run.deploymentId, run.deploymentId,
                new AnalysisCompleted(run.stepIndex, verdict, results)));
        LOG.infof("analysis step %d of deployment %s (%s) is %s (event %s, caused by %s)", run.stepIndex,
                run.deploymentId, w == null ? "?" : w.service, verdict, eventId, run.startedEventId);
    }

    static Map<String, CheckProgress> baseline(String json) {
        try {
            return EventCodec.mapper().readValue(json, BASELINE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable analysis baseline", e);
        }
    }
}
