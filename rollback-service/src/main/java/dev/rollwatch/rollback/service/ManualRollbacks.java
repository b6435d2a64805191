package dev.rollwatch.rollback.service;

import dev.rollwatch.events.Trigger;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.rollback.domain.Decision;
import dev.rollwatch.rollback.domain.DecisionAction;
import dev.rollwatch.rollback.domain.DecisionMatrix;
import dev.rollwatch.rollback.domain.DeploymentState;
import dev.rollwatch.rollback.domain.Policy;
import dev.rollwatch.rollback.domain.TrackedDeployment;
import dev.rollwatch.rollback.domain.LastKnownGood;
import dev.rollwatch.rollback.repository.DecisionRepository;
import dev.rollwatch.rollback.repository.LastKnownGoodRepository;
import dev.rollwatch.rollback.repository.SucceededVersionRepository;
import dev.rollwatch.rollback.repository.PolicyRepository;
import dev.rollwatch.rollback.repository.TrackedDeploymentRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An operator's rollback, of a running deployment or of the latest SUCCEEDED one. It goes through the same single-rollback guard as automatic ones (the deployment's lock,
 * then the unique index), and a retried request with the same Idempotency-Key returns the first decision. An
 * operator's decision is not held by a freeze or by auto-rollback being off: those govern automatic rollbacks.
 */
@ApplicationScoped
public class ManualRollbacks {

    private static final Logger LOG = Logger.getLogger(ManualRollbacks.class);

    private final TrackedDeploymentRepository deployments;
    private final DecisionRepository decisions;
    private final PolicyRepository policies;
    private final RollbackRequester requester;
    private final DecisionMetrics metrics;
    private final LastKnownGoodRepository lastKnownGood;
    private final SucceededVersionRepository succeeded;

    public ManualRollbacks(TrackedDeploymentRepository deployments, DecisionRepository decisions,
            PolicyRepository policies, RollbackRequester requester, DecisionMetrics metrics,
            LastKnownGoodRepository lastKnownGood, SucceededVersionRepository succeeded) {
        this.lastKnownGood = lastKnownGood;
        this.succeeded = succeeded;
        this.deployments = deployments;
        this.decisions = decisions;
        this.policies = policies;
        this.requester = requester;
        this.metrics = metrics;
    }

    /** The decision, and whether this call took it (false: an earlier request with the same key did). */
    public record Result(Decision decision, boolean isNew) {
    }

    /**
     * An operator's rollback of a running deployment, or of the latest SUCCEEDED deployment of its service and
     * environment (at any time). {@code toVersion} (optional) must be a version that once SUCCEEDED there, other
     * than the deployment's own; by default the previous version. {@code requireService} is the caller's scope
     * check: it gets the deployment's service, or {@code null} when the deployment is unknown, under the
     * deployment's lock and before anything else is said about it, and throws to refuse.
     */
    @Transactional
    public Result request(String deploymentId, String reason, String toVersion, String requestedBy,
            String idempotencyKey, Consumer<String> requireService) {
        Optional<TrackedDeployment> locked = deployments.lock(deploymentId);
        requireService.accept(locked.map(d -> d.service).orElse(null));
        TrackedDeployment deployment = locked
                .orElseThrow(() -> ProblemException.notFound("deployment", deploymentId));
        if (idempotencyKey != null) {
            Optional<Decision> earlier = decisions.findByIdempotencyKey(idempotencyKey);
            if (earlier.isPresent()) {
                if (!earlier.get().deploymentId.equals(deploymentId)) {
                    ProblemException reused = ProblemException.conflict("idempotency-key-reused", "Idempotency-Key "
                            + idempotencyKey + " was used for another deployment");
                    // Named only when it is of the same service (which the caller was just allowed).
                    throw deployment.service.equals(earlier.get().service)
                            ? reused.with("deploymentId", earlier.get().deploymentId) : reused;
                }
                return new Result(earlier.get(), false);
            }
        }
        Optional<Decision> existing = decisions.rollbackOf(deploymentId);
        if (deployment.state == DeploymentState.FINISHED && !deployment.succeeded()) {
            throw ProblemException.conflict("deployment-finished", "deployment " + deploymentId
                    + " has already finished (" + deployment.outcome + "): there is nothing to roll back")
                    .with("outcome", deployment.outcome);
        }
        if (deployment.succeeded()) {
            Optional<LastKnownGood> latest = lastKnownGood.find(deployment.service, deployment.environment);
            if (latest.isEmpty() || !latest.get().deploymentId.equals(deploymentId)) {
                throw ProblemException.conflict("not-latest-succeeded", "deployment " + deploymentId + " SUCCEEDED"
                        + " but is not the latest SUCCEEDED deployment of " + deployment.service + " in "
                        + deployment.environment + (latest.map(l -> " (that is " + l.deploymentId + ", version "
                        + l.version + ")").orElse("")) + ": roll that one back instead")
                        .with("latestDeploymentId", latest.map(l -> l.deploymentId).orElse(null));
            }
        } else if (existing.isPresent()) {
            throw ProblemException.conflict("rollback-in-progress", "a rollback of deployment " + deploymentId
                    + " was already requested").with("decisionId", existing.get().id.toString());
        }
        String target = toVersion == null || toVersion.isBlank() ? null : toVersion.trim();
        if (target != null) {
            if (target.equals(deployment.version)) {
                throw ProblemException.badRequest("same-version", "toVersion " + target + " is the version of "
                        + "deployment " + deploymentId + " itself");
            }
            if (!succeeded.succeeded(deployment.service, deployment.environment, target)) {
                throw ProblemException.conflict("version-never-succeeded", "version " + target + " of "
                        + deployment.service + " never SUCCEEDED in " + deployment.environment
                        + ": roll back to a version that once did").with("toVersion", target);
            }
        } else if (requester.situation(deployment) == DecisionMatrix.Situation.OPEN_NO_KNOWN_GOOD
                || requester.situation(deployment) == DecisionMatrix.Situation.SUCCEEDED_NO_KNOWN_GOOD) {
            throw ProblemException.conflict(DecisionMatrix.NO_KNOWN_GOOD_VERSION, "deployment " + deploymentId
                    + " is the first of " + deployment.service + " in " + deployment.environment
                    + ": no deployment of it succeeded there and none was named as previous version, so there is no"
                    + " version to roll back to; abort the deployment (deploy-service) or fix forward")
                    .with("service", deployment.service).with("environment", deployment.environment);
        }
        if (deployment.succeeded() && existing.isPresent()) {
            // A SUCCEEDED deployment's earlier rollback stepped back or ended: it no longer counts.
            throw ProblemException.conflict("rollback-in-progress", "a rollback of deployment " + deploymentId
                    + " was already requested").with("decisionId", existing.get().id.toString());
        }
        Instant now = Times.now();
        Policy policy = policies.effective(deployment.service, deployment.environment);
        Decision decision = Decision.about(deployment, DecisionAction.ROLLBACK, "manual",
                "manual rollback by " + requestedBy + (deployment.succeeded() ? " of the SUCCEEDED deployment" : "")
                        + (target != null ? " to " + target : "") + ": " + reason, now);
        decision.idempotencyKey = idempotencyKey;
        requester.request(deployment, decision, policy, Trigger.MANUAL, List.of(), null, requestedBy, null, null,
                target, now);
        metrics.decided(decision);
        LOG.infof("decision %s: deployment %s manual rollback by %s to %s (event %s): %s", decision.id, deploymentId,
                requestedBy, decision.toVersion, decision.rollbackEventId, reason);
        return new Result(decision, true);
    }
}
