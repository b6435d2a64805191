package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.domain.Deployment;
import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.repository.DeploymentRepository;
import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.DeploymentSummary;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.platform.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Executes the rollbacks the rollback service decides. The deploy service is the single writer to targets, so
 * the rollback and any forward step can never race on the target.
 */
@ApplicationScoped
public class RollbackExecutor {

    private static final Logger LOG = Logger.getLogger(RollbackExecutor.class);

    private final DeploymentRepository repository;
    private final Outbox outbox;
    private final Timer detectionToRollback;

    public RollbackExecutor(DeploymentRepository repository, Outbox outbox, MeterRegistry registry) {
        this.repository = repository;
        this.outbox = outbox;
        this.detectionToRollback = Timer.builder("rollwatch.rollback.detection.latency")
                .description("breach observed to rollback completed").publishPercentiles(0.5, 0.95, 0.99)
                .register(registry);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void execute(Envelope<RollbackRequested> request) {
        RollbackRequested r = request.data();
        UUID id = UUID.fromString(request.subject());
        Deployment d = repository.findByIdOptional(id).orElse(null);
        if (d == null) {
            LOG.warnf("rollback %s for unknown deployment %s ignored", request.id(), id);
            return;
        }
        if (d.status.isTerminal() || d.status == DeploymentStatus.ROLLING_BACK) {
            LOG.infof("rollback %s for deployment %s ignored: already %s", request.id(), id, d.status);
            return;
        }
        Instant started = Instant.now().truncatedTo(ChronoUnit.MICROS);
        d.moveTo(DeploymentStatus.ROLLING_BACK, r.reason(), started);
        String toVersion = r.toVersion() != null ? r.toVersion() : d.previousVersion;
        // Driving the target back through its driver comes with the step engine; the state machine, the
        // events and their timing are the real ones.
        Instant done = Instant.now().truncatedTo(ChronoUnit.MICROS);
        d.moveTo(DeploymentStatus.ROLLED_BACK, r.reason(), done);
        Long detectionMs = r.detectedAt() == null ? null : Duration.between(r.detectedAt(), done).toMillis();
        if (detectionMs != null) {
            detectionToRollback.record(Duration.ofMillis(Math.max(0, detectionMs)));
        }
        Envelope<RollbackCompleted> completed = Envelope.of(DeploymentService.SOURCE, request.subject(),
                new RollbackCompleted(d.service, d.environment, RollbackOutcome.SUCCEEDED, toVersion,
                        Duration.between(started, done).toMillis(), detectionMs, "target set back to " + toVersion))
                .at(done).causedBy(request);
        outbox.publish(completed);
        outbox.publish(Envelope.of(DeploymentService.SOURCE, request.subject(), new DeploymentFinished(
                DeploymentOutcome.ROLLED_BACK, new DeploymentSummary(d.service, d.environment, d.version, toVersion,
                        DeploymentService.stepsOf(d).size(), 0, 100, 0,
                        Duration.between(d.createdAt, done).toMillis(), r.reason())))
                .at(done).causedBy(completed));
        LOG.infof("deployment %s rolled back to %s (request %s, detection-to-rollback %s ms)", id, toVersion,
                request.id(), detectionMs);
    }
}
