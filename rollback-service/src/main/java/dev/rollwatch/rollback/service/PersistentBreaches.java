package dev.rollwatch.rollback.service;

import dev.rollwatch.rollback.config.RollbackConfig;
import dev.rollwatch.rollback.domain.Decision;
import dev.rollwatch.rollback.domain.DecisionAction;
import dev.rollwatch.rollback.domain.DecisionMatrix;
import dev.rollwatch.rollback.domain.OpenBreach;
import dev.rollwatch.rollback.domain.Policy;
import dev.rollwatch.rollback.domain.TrackedDeployment;
import dev.rollwatch.rollback.domain.Verdict;
import dev.rollwatch.rollback.repository.DecisionRepository;
import dev.rollwatch.rollback.repository.PolicyRepository;
import dev.rollwatch.rollback.repository.TrackedDeploymentRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;

/**
 * "P2 persisting past its window rolls back." The monitor announces one ThresholdBreached per breach episode and
 * opens a new episode only after the check recovered, so a CONDITIONAL breach that was alerted on and has no newer
 * breach of the same check is still failing. This check decides such open episodes again once the policy's window
 * has passed ({@link DecisionMatrix#persisted}): a follow-up decision ({@code followsUp} = the alert) that rolls
 * back, or is held by a freeze or auto-rollback off. One follow-up per alert (checked under the deployment's lock,
 * and a unique index).
 */
@ApplicationScoped
public class PersistentBreaches {

    private static final Logger LOG = Logger.getLogger(PersistentBreaches.class);

    private final DecisionRepository decisions;
    private final TrackedDeploymentRepository deployments;
    private final PolicyRepository policies;
    private final RollbackRequester requester;
    private final DecisionEvents events;
    private final DecisionMetrics metrics;
    private final RollbackConfig config;

    public PersistentBreaches(DecisionRepository decisions, TrackedDeploymentRepository deployments,
            PolicyRepository policies, RollbackRequester requester, DecisionEvents events, DecisionMetrics metrics,
            RollbackConfig config) {
        this.decisions = decisions;
        this.deployments = deployments;
        this.policies = policies;
        this.requester = requester;
        this.events = events;
        this.metrics = metrics;
        this.config = config;
    }

    @Scheduled(every = "${rollwatch.rollback.persistence-check-interval:5s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        try {
            QuarkusTransaction.requiringNew().run(() -> decideDue(Times.now()));
        } catch (RuntimeException e) {
            LOG.warnf("persistence check failed, retrying at the next interval: %s", e.getMessage());
        }
    }

    /** Decides every open CONDITIONAL episode whose window has passed at {@code now}; returns how many. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int decideDue(Instant now) {
        int count = 0;
        for (Decision alert : decisions.openConditionalAlerts(config.persistenceBatch())) {
            Optional<TrackedDeployment> locked = deployments.lock(alert.deploymentId);
            if (locked.isEmpty() || decisions.followedUp(alert.id)) {
                continue; // another instance decided it between the query and the lock
            }
            TrackedDeployment deployment = locked.get();
            Policy policy = policies.effective(deployment.service, deployment.environment);
            Optional<Verdict> verdict = DecisionMatrix.persisted(new OpenBreach(alert.breachEventId, alert.severity,
                    alert.checkName, alert.observedAt, alert.decidedAt), deployment.situation(), policy.rules(), now);
            if (verdict.isPresent()) {
                followUp(alert, deployment, policy, verdict.get(), now);
                count++;
            }
        }
        return count;
    }

    private void followUp(Decision alert, TrackedDeployment deployment, Policy policy, Verdict verdict,
            Instant now) {
        Decision d = Decision.about(deployment, verdict.action(), verdict.rule(), verdict.reason(), now);
        d.severity = alert.severity;
        d.checkName = alert.checkName;
        d.breachEventId = alert.breachEventId;
        d.breachSource = alert.breachSource;
        d.observedAt = alert.observedAt;
        d.policyId = policy.id;
        d.policyVersion = policy.version;
        d.followsUp = alert.id;
        if (verdict.action() == DecisionAction.ROLLBACK) {
            requester.request(deployment, d, policy, verdict.breachEventIds(), verdict.detectedAt(),
                    alert.breachEventId, now);
        } else {
            decisions.persist(d);
            events.decided(d, alert.breachEventId);
        }
        metrics.decided(d);
        LOG.infof("decision %s: deployment %s breach %s persisted -> %s (rule %s, policy %d v%d, follows up %s): %s",
                d.id, deployment.deploymentId, alert.breachEventId, d.action, d.rule, policy.id, policy.version,
                alert.id, d.reason);
    }
}
