package dev.rollwatch.deploy.messaging;

import dev.rollwatch.deploy.report.FigureRepository;
import dev.rollwatch.deploy.repository.DeploymentRepository;
import dev.rollwatch.deploy.repository.StepRepository;
import dev.rollwatch.deploy.service.EngineWake;
import dev.rollwatch.events.AnalysisCompleted;
import dev.rollwatch.events.CheckResult;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.Topics;
import dev.rollwatch.platform.messaging.Consumption;
import dev.rollwatch.platform.messaging.EventConsumer;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.event.Event;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Records the monitor's verdict for an analysis step and wakes the engine, which applies it. Only the verdict is
 * written here (never the deployment row), so this consumer cannot conflict with the engine. Replays are
 * ignored; duplicates do nothing; poison goes to the DLQ.
 */
@EventConsumer
public class AnalysisCompletedConsumer {

    private static final Logger LOG = Logger.getLogger(AnalysisCompletedConsumer.class);

    private final Consumption consumption;
    private final StepRepository steps;
    private final Event<EngineWake> wake;
    private final DeploymentRepository deployments;
    private final FigureRepository figures;
    private final Clock clock;

    public AnalysisCompletedConsumer(Consumption consumption, StepRepository steps, Event<EngineWake> wake,
            DeploymentRepository deployments, FigureRepository figures, Clock clock) {
        this.deployments = deployments;
        this.clock = clock;
        this.figures = figures;
        this.consumption = consumption;
        this.steps = steps;
        this.wake = wake;
    }

    @Incoming(Topics.ANALYSIS_COMPLETED)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        consumption.once(record, AnalysisCompleted.class, this::apply);
    }

    private void apply(Envelope<AnalysisCompleted> event) {
        UUID id;
        try {
            id = UUID.fromString(event.subject());
        } catch (IllegalArgumentException | NullPointerException e) {
            LOG.warnf("analysis verdict %s about '%s' ignored: not a deployment id", event.id(), event.subject());
            return;
        }
        AnalysisCompleted a = event.data();
        String detail = a.checks().stream().filter(c -> c.verdict() != dev.rollwatch.events.Verdict.SUCCESSFUL)
                .map(AnalysisCompletedConsumer::describe).collect(Collectors.joining("; "));
        // The verdict belongs to the deployment's current run of its steps (a phase re-run after a step back is a
        // new run); read, not locked, so this consumer still never writes the deployment row.
        int attempt = deployments.findByIdOptional(id).map(d -> d.stepAttempt).orElse(0);
        Instant now = Instant.now(clock);
        boolean recorded = steps.recordVerdict(id, a.stepIndex(), attempt, a.verdict(),
                detail.isEmpty() ? null : detail, event.id(), now);
        // The figures the report reads (first-hour error rate, downtime): the first analysis of each step counts.
        figures.record(id, FigureRepository.ANALYSIS, a.stepIndex(),
                event.time() != null ? event.time() : now, a.verdict(), false, a.checks(),
                event.id());
        LOG.infof("deployment %s step %d analysis %s %s (event %s)", id, a.stepIndex(), a.verdict(),
                recorded ? "recorded" : "ignored: the step already has a verdict", event.id());
        if (recorded) {
            wake.fire(new EngineWake(id));
        }
    }

    private static String describe(CheckResult c) {
        return c.name() + " " + c.verdict() + (c.observed() == null ? "" : " observed " + c.observed())
                + (c.message() == null ? "" : " (" + c.message() + ")");
    }
}
