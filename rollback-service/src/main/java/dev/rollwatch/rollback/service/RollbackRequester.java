package dev.rollwatch.rollback.service;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.Trigger;
import dev.rollwatch.rollback.domain.Decision;
import dev.rollwatch.rollback.domain.DecisionMatrix;
import dev.rollwatch.rollback.domain.Policy;
import dev.rollwatch.rollback.domain.RollbackStatus;
import dev.rollwatch.rollback.domain.TrackedDeployment;
import dev.rollwatch.rollback.repository.DecisionRepository;
import dev.rollwatch.rollback.repository.LastKnownGoodRepository;
import dev.rollwatch.rollback.repository.SucceededVersionRepository;
import dev.rollwatch.platform.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Turns a ROLLBACK decision into a RollbackRequested event: the decision row and the event are written in one
 * transaction, and the database's unique index guarantees a single rollback per deployment.
 */
@ApplicationScoped
public class RollbackRequester {

    public static final String SOURCE = Envelope.source("rollback-service");
    public static final String REQUESTED_BY = "rollback-service";

    private final DecisionRepository decisions;
    private final LastKnownGoodRepository lastKnownGood;
    private final SucceededVersionRepository succeeded;
    private final Outbox outbox;

    public RollbackRequester(DecisionRepository decisions, LastKnownGoodRepository lastKnownGood,
            SucceededVersionRepository succeeded, Outbox outbox) {
        this.decisions = decisions;
        this.succeeded = succeeded;
        this.lastKnownGood = lastKnownGood;
        this.outbox = outbox;
    }

    /**
     * Completes {@code decision} (action ROLLBACK, rule and reason set) with versions, deadline and the event, and
     * stores both. The caller holds the deployment's lock.
     *
     * @param cause the breach that triggered it, or null for a manual request
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Envelope<RollbackRequested> request(TrackedDeployment deployment, Decision decision, Policy policy,
            Trigger trigger, List<String> breachEventIds, Instant detectedAt, String requestedBy, Envelope<?> cause,
            Instant now) {
        return request(deployment, decision, policy, trigger, breachEventIds, detectedAt, requestedBy, cause, null,
                now);
    }

    /** As above, for a rollback caused by an event known only by its id (the persistence check's breach). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Envelope<RollbackRequested> request(TrackedDeployment deployment, Decision decision, Policy policy,
            List<String> breachEventIds, Instant detectedAt, String causationId, Instant now) {
        return request(deployment, decision, policy, Trigger.AUTOMATIC, breachEventIds, detectedAt, REQUESTED_BY,
                null, causationId, now);
    }

    /** As above, with the version an operator chose to roll back to (null: the default target). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Envelope<RollbackRequested> request(TrackedDeployment deployment, Decision decision, Policy policy,
            Trigger trigger, List<String> breachEventIds, Instant detectedAt, String requestedBy, Envelope<?> cause,
            String causationId, String toVersion, Instant now) {
        decision.toVersion = toVersion;
        return request(deployment, decision, policy, trigger, breachEventIds, detectedAt, requestedBy, cause,
                causationId, now);
    }

    private Envelope<RollbackRequested> request(TrackedDeployment deployment, Decision decision, Policy policy,
            Trigger trigger, List<String> breachEventIds, Instant detectedAt, String requestedBy, Envelope<?> cause,
            String causationId, Instant now) {
        decision.trigger = trigger;
        decision.policyId = policy.id;
        decision.policyVersion = policy.version;
        if (decision.policyPack == null) {
            decision.policyPack = policy.pack;
        }
        decision.fromVersion = deployment.version;
        if (decision.toVersion == null) {
            decision.toVersion = rollbackTarget(deployment);
        }
        decision.requestedBy = requestedBy;
        decision.status = RollbackStatus.OPEN;
        decision.deadlineAt = now.plus(Duration.ofMillis(policy.rollbackDeadlineMs));
        decision.respondWithinTarget();
        Envelope<RollbackRequested> event = Envelope.of(SOURCE, deployment.deploymentId, new RollbackRequested(
                deployment.service, deployment.environment, trigger, decision.reason, breachEventIds, decision.rule,
                policy.version, decision.fromVersion, decision.toVersion, requestedBy, detectedAt, decision.severity,
                decision.respondBy, decision.policyPack, decision.seedRule));
        if (cause != null) {
            event = event.causedBy(cause);
        } else {
            event = DecisionEvents.causedBy(event, causationId);
        }
        decision.rollbackEventId = event.id();
        decisions.persistAndFlush(decision);
        outbox.publish(event);
        deployment.rollbackRequested(now);
        return event;
    }

    /**
     * Where the deployment stands for the decision matrix: {@link DecisionMatrix.Situation#OPEN_NO_KNOWN_GOOD} when
     * it is open, its DeploymentStarted has been seen, and there is no version to roll back to (no last known good,
     * no previousVersion). Before the start is seen the previous version is not known yet: it stays OPEN, and a
     * rollback then names the last known good or no {@code toVersion} (the deploy service uses the previous version
     * it recorded itself).
     */
    public DecisionMatrix.Situation situation(TrackedDeployment d) {
        DecisionMatrix.Situation situation = d.situation();
        if (situation == DecisionMatrix.Situation.OPEN && d.startedEventId != null && rollbackTarget(d) == null) {
            return DecisionMatrix.Situation.OPEN_NO_KNOWN_GOOD;
        }
        if (situation == DecisionMatrix.Situation.SUCCEEDED && rollbackTarget(d) == null) {
            return DecisionMatrix.Situation.SUCCEEDED_NO_KNOWN_GOOD;
        }
        return situation;
    }

    /**
     * The last known good version of the service in that environment (other than the deployment's own), else the
     * version the deployment replaced. For a SUCCEEDED deployment — itself the last known good — that is the version
     * before it: the one it replaced, else the latest other version that SUCCEEDED there.
     */
    String rollbackTarget(TrackedDeployment d) {
        String target = lastKnownGood.find(d.service, d.environment)
                .map(g -> g.version)
                .filter(v -> !v.equals(d.version))
                .orElse(d.previousVersion);
        if (target == null && d.version != null) {
            target = succeeded.latestOtherThan(d.service, d.environment, d.version).map(v -> v.version).orElse(null);
        }
        return target;
    }
}
