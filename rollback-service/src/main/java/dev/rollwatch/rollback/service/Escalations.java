package dev.rollwatch.rollback.service;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackEscalated;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.rollback.config.RollbackConfig;
import dev.rollwatch.rollback.domain.Decision;
import dev.rollwatch.rollback.domain.Durations;
import dev.rollwatch.rollback.repository.DecisionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Follows a requested rollback to its end: RollbackCompleted(SUCCEEDED) closes it; FAILED, or no completion
 * within the policy's deadline, escalates it (an ESCALATED decision, P1, published as RollbackEscalated caused by
 * the failed RollbackCompleted or by the RollbackRequested that went unanswered) and keeps it open.
 */
@ApplicationScoped
public class Escalations {

    private static final Logger LOG = Logger.getLogger(Escalations.class);

    private final DecisionRepository decisions;
    private final DecisionMetrics metrics;
    private final RollbackConfig config;
    private final DecisionEvents events;

    public Escalations(DecisionRepository decisions, DecisionMetrics metrics, RollbackConfig config,
            DecisionEvents events) {
        this.decisions = decisions;
        this.metrics = metrics;
        this.config = config;
        this.events = events;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void completed(Envelope<RollbackCompleted> event) {
        String deploymentId = DeploymentTracker.deploymentId(event);
        Optional<Decision> found = decisions.rollbackOf(deploymentId);
        if (found.isEmpty()) {
            LOG.infof("rollback completion %s for deployment %s matches no rollback decision of ours", event.id(),
                    deploymentId);
            return;
        }
        Decision rollback = found.get();
        RollbackCompleted c = event.data();
        Instant now = Times.now();
        if (c.outcome() == RollbackOutcome.SUCCEEDED) {
            rollback.completed(event.time() != null ? event.time() : now);
            LOG.infof("decision %s: deployment %s rollback completed to %s (event %s)", rollback.id, deploymentId,
                    c.toVersion(), event.id());
            return;
        }
        escalate(rollback, RollbackEscalated.RULE_FAILED, "rollback of deployment " + deploymentId + " to "
                + c.toVersion() + " FAILED" + (c.detail() != null ? ": " + c.detail() : "")
                + "; escalated (P1), decision stays open", now, event.id());
    }

    @Scheduled(every = "${rollwatch.rollback.escalation-check-interval:5s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkDeadlines() {
        try {
            QuarkusTransaction.requiringNew().run(() -> escalateOverdue(Times.now()));
        } catch (RuntimeException e) {
            LOG.warnf("escalation check failed, retrying at the next interval: %s", e.getMessage());
        }
    }

    /** Escalates every OPEN rollback whose deadline has passed; returns how many. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int escalateOverdue(Instant now) {
        int count = 0;
        for (Decision rollback : decisions.overdueRollbacks(now, config.escalationBatch())) {
            Duration late = Duration.between(rollback.decidedAt, now);
            escalate(rollback, RollbackEscalated.RULE_DEADLINE_EXCEEDED, "no RollbackCompleted for deployment "
                    + rollback.deploymentId + " " + Durations.format(Duration.ofMillis(late.toMillis()))
                    + " after the rollback was requested (deadline "
                    + Durations.format(Duration.between(rollback.decidedAt, rollback.deadlineAt))
                    + "); escalated (P1), decision stays open", now, rollback.rollbackEventId);
            count++;
        }
        return count;
    }

    private void escalate(Decision rollback, String rule, String reason, Instant now, String eventId) {
        if (!rollback.escalate(now)) {
            LOG.infof("decision %s: deployment %s already %s, not escalated again (event %s)", rollback.id,
                    rollback.deploymentId, rollback.status, eventId);
            return;
        }
        Decision escalation = rollback.escalation(rule, reason, now);
        decisions.persist(escalation);
        events.escalated(rollback, escalation, eventId);
        metrics.decided(escalation);
        metrics.escalated(escalation);
        LOG.warnf("decision %s: deployment %s ESCALATED (rule %s, event %s): %s", escalation.id,
                rollback.deploymentId, rule, eventId, reason);
    }
}
