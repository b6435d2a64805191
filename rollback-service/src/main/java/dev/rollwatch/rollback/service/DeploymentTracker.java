package dev.rollwatch.rollback.service;

import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.DeploymentSummary;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.rollback.domain.TrackedDeployment;
import dev.rollwatch.rollback.repository.LastKnownGoodRepository;
import dev.rollwatch.rollback.repository.TrackedDeploymentRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;

/** Keeps what the decisions need to know about deployments: their versions, whether they finished, what was good. */
@ApplicationScoped
public class DeploymentTracker {

    private static final Logger LOG = Logger.getLogger(DeploymentTracker.class);

    private final TrackedDeploymentRepository deployments;
    private final LastKnownGoodRepository lastKnownGood;

    public DeploymentTracker(TrackedDeploymentRepository deployments, LastKnownGoodRepository lastKnownGood) {
        this.deployments = deployments;
        this.lastKnownGood = lastKnownGood;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void started(Envelope<DeploymentStarted> event) {
        DeploymentStarted s = event.data();
        Instant now = Times.now();
        String id = deploymentId(event);
        TrackedDeployment d = deployments.lockOrCreate(id, s.service(), s.environment(), s.version(), now);
        // A breach may have created the row first (topics are not ordered with each other): fill in the rest.
        d.service = s.service();
        d.environment = s.environment();
        d.version = s.version();
        d.previousVersion = s.previousVersion();
        d.startedEventId = event.id();
        d.startedAt = event.time() != null ? event.time() : now;
        d.updatedAt = now;
        LOG.infof("deployment %s tracked (event %s): %s %s %s -> %s, state %s", id, event.id(), s.service(),
                s.environment(), s.previousVersion(), s.version(), d.state);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void finished(Envelope<DeploymentFinished> event) {
        DeploymentSummary summary = event.data().summary();
        DeploymentOutcome outcome = event.data().outcome();
        Instant now = Times.now();
        Instant at = event.time() != null ? event.time() : now;
        String id = deploymentId(event);
        TrackedDeployment d = deployments.lockOrCreate(id, summary.service(), summary.environment(),
                summary.version(), now);
        d.finished(outcome.name(), at, now);
        if (outcome == DeploymentOutcome.SUCCEEDED) {
            lastKnownGood.recordSucceeded(summary.service(), summary.environment(), summary.version(), id, at,
                    event.id());
        }
        LOG.infof("deployment %s finished %s (event %s)%s", id, outcome, event.id(),
                outcome == DeploymentOutcome.SUCCEEDED ? ": " + summary.version() + " is the last known good version"
                        + " of " + summary.service() + " in " + summary.environment() : "");
    }

    static String deploymentId(Envelope<?> event) {
        String id = event.subject() != null ? event.subject() : event.partitionKey();
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("event " + event.id() + " names no deployment (no subject)");
        }
        return id;
    }
}
