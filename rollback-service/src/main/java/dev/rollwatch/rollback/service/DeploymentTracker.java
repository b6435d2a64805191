package dev.rollwatch.rollback.service;

import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.DeploymentSummary;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.rollback.domain.DeploymentState;
import dev.rollwatch.rollback.domain.LastKnownGood;
import dev.rollwatch.rollback.domain.SucceededVersion;
import dev.rollwatch.rollback.domain.TrackedDeployment;
import dev.rollwatch.rollback.repository.DecisionRepository;
import dev.rollwatch.rollback.repository.SucceededVersionRepository;
import dev.rollwatch.rollback.repository.LastKnownGoodRepository;
import dev.rollwatch.rollback.repository.TrackedDeploymentRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;

/** Keeps what the decisions need to know about deployments: their versions, whether they finished, what was good. */
@ApplicationScoped
public class DeploymentTracker {

    private static final Logger LOG = Logger.getLogger(DeploymentTracker.class);

    private final TrackedDeploymentRepository deployments;
    private final LastKnownGoodRepository lastKnownGood;
    private final SucceededVersionRepository succeeded;
    private final DecisionRepository decisions;

    public DeploymentTracker(TrackedDeploymentRepository deployments, LastKnownGoodRepository lastKnownGood,
            SucceededVersionRepository succeeded, DecisionRepository decisions) {
        this.deployments = deployments;
        this.lastKnownGood = lastKnownGood;
        this.succeeded = succeeded;
        this.decisions = decisions;
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
        boolean hadSucceeded = d.succeeded() || (d.state == DeploymentState.ROLLING_BACK
                && succeeded.of(d.service, d.environment, id).isPresent());
        d.finished(outcome.name(), at, now);
        if (outcome == DeploymentOutcome.SUCCEEDED) {
            lastKnownGood.recordSucceeded(summary.service(), summary.environment(), summary.version(), id, at,
                    event.id());
            succeeded.record(summary.service(), summary.environment(), id, summary.version(), at);
        } else if (hadSucceeded && outcome == DeploymentOutcome.ROLLED_BACK) {
            restoreLastKnownGood(d, at, event.id());
        }
        LOG.infof("deployment %s finished %s (event %s)%s", id, outcome, event.id(),
                outcome == DeploymentOutcome.SUCCEEDED ? ": " + summary.version() + " is the last known good version"
                        + " of " + summary.service() + " in " + summary.environment() : "");
    }

    /**
     * A SUCCEEDED deployment was rolled back (bake window, or an operator): it is no longer a known good version, and
     * the version the rollback restored is the last known good again.
     */
    private void restoreLastKnownGood(TrackedDeployment d, Instant at, String eventId) {
        succeeded.of(d.service, d.environment, d.deploymentId).ifPresent(v -> v.rolledBackAt = at);
        String restored = decisions.latestRollbackOf(d.deploymentId).map(r -> r.toVersion).orElse(null);
        Optional<SucceededVersion> good = restored != null
                ? succeeded.latestOfVersion(d.service, d.environment, restored)
                : succeeded.latestOtherThan(d.service, d.environment, d.version);
        if (good.isEmpty() && d.previousVersion != null) {
            good = succeeded.latestOfVersion(d.service, d.environment, d.previousVersion);
        }
        Optional<LastKnownGood> current = lastKnownGood.find(d.service, d.environment);
        if (current.isPresent() && !current.get().deploymentId.equals(d.deploymentId)) {
            return; // a later deployment already made another version the last known good
        }
        if (good.isPresent()) {
            lastKnownGood.restore(d.service, d.environment, good.get().version, good.get().key.deploymentId(), at,
                    eventId);
            LOG.infof("deployment %s (SUCCEEDED, then rolled back): %s is the last known good version of %s in %s"
                    + " again", d.deploymentId, good.get().version, d.service, d.environment);
        } else {
            current.ifPresent(lastKnownGood::delete);
            LOG.infof("deployment %s (SUCCEEDED, then rolled back): no other version of %s succeeded in %s; no last"
                    + " known good version", d.deploymentId, d.service, d.environment);
        }
    }

    static String deploymentId(Envelope<?> event) {
        String id = event.subject() != null ? event.subject() : event.partitionKey();
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("event " + event.id() + " names no deployment (no subject)");
        }
        return id;
    }
}
