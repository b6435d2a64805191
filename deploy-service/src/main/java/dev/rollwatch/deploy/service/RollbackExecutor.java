package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.domain.Deployment;
import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.repository.DeploymentRepository;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.platform.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Executes the rollbacks the rollback service decides, in two transactions around the target call: {@link #begin}
 * (in the consumer's transaction) stops forward progress and records ROLLING_BACK; the engine then calls the
 * target outside any transaction and {@link #finish} records the outcome. A restart in between resumes the
 * ROLLING_BACK deployment with the same webhook-id, so the target applies the rollback once.
 */
@ApplicationScoped
public class RollbackExecutor {

    private static final Logger LOG = Logger.getLogger(RollbackExecutor.class);

    private final DeploymentRepository repository;
    private final DeploymentEvents events;
    private final Outbox outbox;
    private final Event<EngineWake> wake;
    private final Timer detectionToRollback;

    public RollbackExecutor(DeploymentRepository repository, DeploymentEvents events, Outbox outbox,
            Event<EngineWake> wake, MeterRegistry registry) {
        this.repository = repository;
        this.events = events;
        this.outbox = outbox;
        this.wake = wake;
        this.detectionToRollback = Timer.builder("rollwatch.rollback.detection.latency")
                .description("breach observed to rollback completed").publishPercentiles(0.5, 0.95, 0.99)
                .register(registry);
    }

    /** Stops forward progress and records the rollback to execute; a second request for it does nothing more. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void begin(Envelope<RollbackRequested> request) {
        RollbackRequested r = request.data();
        UUID id = UUID.fromString(request.subject());
        Deployment d = repository.lock(id).orElse(null);
        if (d == null) {
            LOG.warnf("rollback %s for unknown deployment %s ignored", request.id(), id);
            return;
        }
        if (d.status.isTerminal() || d.status == DeploymentStatus.ROLLING_BACK) {
            LOG.infof("rollback %s for deployment %s ignored: already %s", request.id(), id, d.status);
            return;
        }
        Instant started = StepTransitions.now();
        events.stopOpenStep(d, "stopped by rollback: " + r.reason(), started);
        d.moveTo(DeploymentStatus.ROLLING_BACK, r.reason(), started);
        d.rollbackRequestId = request.id();
        d.rollbackCorrelationId = request.correlationId();
        d.rollbackToVersion = r.toVersion() != null ? r.toVersion() : d.previousVersion;
        d.rollbackDetectedAt = r.detectedAt();
        d.rollbackStartedAt = started;
        wake.fire(new EngineWake(id));
        LOG.infof("deployment %s rolling back to %s at weight %d (request %s): %s", id, d.rollbackToVersion,
                d.currentWeight, request.id(), r.reason());
    }

    /** Records what the target did with the rollback: ROLLED_BACK, or ROLLBACK_FAILED after the driver's retries. */
    @Transactional
    public void finish(UUID id, boolean succeeded, String detail) {
        Deployment d = repository.lock(id).orElseThrow();
        if (d.status != DeploymentStatus.ROLLING_BACK) {
            return;
        }
        Instant done = StepTransitions.now();
        d.rollbackFinishedAt = done;
        if (succeeded) {
            d.currentWeight = 0;
        }
        Long detectionMs = d.rollbackDetectedAt == null ? null
                : Duration.between(d.rollbackDetectedAt, done).toMillis();
        if (succeeded && detectionMs != null) {
            detectionToRollback.record(Duration.ofMillis(Math.max(0, detectionMs)));
        }
        RollbackCompleted data = new RollbackCompleted(d.service, d.environment,
                succeeded ? RollbackOutcome.SUCCEEDED : RollbackOutcome.FAILED, d.rollbackToVersion,
                Duration.between(d.rollbackStartedAt != null ? d.rollbackStartedAt : done, done).toMillis(),
                detectionMs, detail);
        Envelope<RollbackCompleted> completed = new Envelope<>(UUID.randomUUID().toString(), DeploymentService.SOURCE,
                null, d.id.toString(), done, d.rollbackRequestId,
                d.rollbackCorrelationId != null ? d.rollbackCorrelationId : d.id.toString(), d.id.toString(), data);
        outbox.publish(completed);
        LOG.infof("deployment %s rollback to %s %s in %d ms (detection-to-rollback %s ms, event %s): %s", id,
                d.rollbackToVersion, data.outcome(), data.durationMs(), detectionMs, completed.id(), detail);
        if (succeeded) {
            events.finish(d, DeploymentOutcome.ROLLED_BACK, d.statusReason, done, completed);
        } else {
            d.moveTo(DeploymentStatus.ROLLBACK_FAILED, "rollback failed: " + detail, done);
            events.finishAs(d, DeploymentOutcome.FAILED, "rollback failed: " + detail, done, completed);
        }
    }
}
