package dev.rollwatch.rollback.service;

import dev.rollwatch.events.Durations;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackEscalated;
import dev.rollwatch.events.RollbackVerified;
import dev.rollwatch.events.Severity;
import dev.rollwatch.rollback.config.RollbackConfig;
import dev.rollwatch.rollback.domain.Decision;
import dev.rollwatch.rollback.repository.DecisionRepository;
import dev.rollwatch.rollback.repository.TrackedDeploymentRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Follows a requested rollback to its end: RollbackCompleted(SUCCEEDED) closes it; STEPPED_BACK marks it stepped back
 * (the deployment runs again); UNVERIFIED — or the monitor's RollbackVerified UNVERIFIED — escalates it at P0
 * ({@code rollback-unverified}, once per rollback); FAILED, or no completion within the policy's deadline, escalates
 * it (an ESCALATED decision, P1, published as RollbackEscalated caused by the failed RollbackCompleted or by the
 * RollbackRequested that went unanswered) and keeps it open. Also escalates decisions a person had to act on that
 * nobody answered within their severity's response target ({@code decision-unanswered}).
 */
@ApplicationScoped
public class Escalations {

    private static final Logger LOG = Logger.getLogger(Escalations.class);

    private final DecisionRepository decisions;
    private final DecisionMetrics metrics;
    private final RollbackConfig config;
    private final DecisionEvents events;
    private final TrackedDeploymentRepository deployments;
    private final Clock clock;

    public Escalations(DecisionRepository decisions, DecisionMetrics metrics, RollbackConfig config,
            DecisionEvents events, TrackedDeploymentRepository deployments, Clock clock) {
        this.deployments = deployments;
        this.clock = clock;
        this.decisions = decisions;
        this.metrics = metrics;
        this.config = config;
        this.events = events;
    }

    /**
     * RollbackCompleted: SUCCEEDED closes the rollback; UNVERIFIED closes it too (the target runs the restored
     * version) but its health probe failed: escalated at P0 ({@code rollback-unverified}, once per rollback);
     * STEPPED_BACK marks it stepped back — the deployment runs again at a lower weight and a later breach may request
     * a new rollback; FAILED escalates it (P1) and keeps it open.
     */
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
        Instant at = event.time() != null ? event.time() : now;
        switch (c.outcome()) {
            case SUCCEEDED -> {
                rollback.completed(at);
                LOG.infof("decision %s: deployment %s rollback completed to %s (event %s)", rollback.id,
                        deploymentId, c.toVersion(), event.id());
            }
            case STEPPED_BACK -> {
                rollback.steppedBack(at);
                deployments.findByIdOptional(deploymentId).ifPresent(d -> d.steppedBack(now));
                LOG.infof("decision %s: deployment %s stepped back to weight %s instead of rolling back (event %s):"
                        + " it runs again, a later breach may request a new rollback", rollback.id, deploymentId,
                        c.toWeight(), event.id());
            }
            case UNVERIFIED -> {
                rollback.completed(at);
                unverified(rollback, "the target accepted the rollback to " + c.toVersion()
                        + " but its health probe failed" + (c.health() != null ? " (" + c.health() + ")" : "")
                        + (c.detail() != null ? ": " + c.detail() : ""), event.id(), at, now);
            }
            case FAILED -> escalate(rollback, RollbackEscalated.RULE_FAILED, "rollback of deployment " + deploymentId
                    + " to " + c.toVersion() + " FAILED" + (c.detail() != null ? ": " + c.detail() : "")
                    + "; escalated (P1), decision stays open", now, event.id());
        }
    }

    /**
     * RollbackVerified: the monitor watched the restored version. VERIFIED is recorded on the rollback decision;
     * UNVERIFIED is recorded and escalated at P0 ({@code rollback-unverified}), once per rollback.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void verified(Envelope<RollbackVerified> event) {
        String deploymentId = DeploymentTracker.deploymentId(event);
        Optional<Decision> found = decisions.latestRollbackOf(deploymentId);
        if (found.isEmpty()) {
            LOG.infof("rollback verification %s for deployment %s matches no rollback decision of ours", event.id(),
                    deploymentId);
            return;
        }
        Decision rollback = found.get();
        RollbackVerified v = event.data();
        Instant now = Times.now();
        if (RollbackVerified.VERIFIED.equals(v.outcome())) {
            if (rollback.verification == null) {
                rollback.verification = RollbackVerified.VERIFIED;
                rollback.verifiedAt = v.decidedAt();
                rollback.verificationEventId = event.id();
                rollback.verificationDetail = truncate(v.detail());
            }
            LOG.infof("decision %s: deployment %s rollback to %s VERIFIED (event %s)", rollback.id, deploymentId,
                    v.version(), event.id());
            return;
        }
        unverified(rollback, "the restored version " + v.version() + " is not healthy"
                + (v.check() != null ? " (check " + v.check() + ")" : "") + (v.detail() != null ? ": " + v.detail()
                : ""), event.id(), v.decidedAt(), now);
    }

    private void unverified(Decision rollback, String what, String eventId, Instant at, Instant now) {
        rollback.verification = RollbackVerified.UNVERIFIED;
        rollback.verifiedAt = at;
        rollback.verificationEventId = eventId;
        rollback.verificationDetail = truncate(what);
        if (rollback.unverifiedEscalatedAt != null) {
            LOG.infof("decision %s: deployment %s rollback already escalated as unverified, not again (event %s)",
                    rollback.id, rollback.deploymentId, eventId);
            return;
        }
        rollback.unverifiedEscalatedAt = now;
        Decision escalation = rollback.escalation(RollbackEscalated.RULE_UNVERIFIED, "rollback of deployment "
                + rollback.deploymentId + " UNVERIFIED: " + what + "; the incident is still on, escalated (P0)",
                Severity.P0, now);
        escalation.respondWithinTarget();
        decisions.persist(escalation);
        events.escalated(rollback, escalation, eventId);
        metrics.decided(escalation);
        metrics.escalated(escalation);
        LOG.warnf("decision %s: deployment %s ESCALATED (rule %s, event %s): %s", escalation.id,
                rollback.deploymentId, RollbackEscalated.RULE_UNVERIFIED, eventId, escalation.reason);
    }

    /**
     * Escalates (once) every decision a person had to act on — ALERT, CONDITIONAL, HOLD (including APPROVAL_REQUIRED
     * and held rollbacks) — that was neither acted on nor acknowledged by its respondBy: an ESCALATED decision (rule
     * {@code decision-unanswered}) at the decision's severity. Returns how many.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int escalateUnanswered(Instant now) {
        int count = 0;
        for (Decision d : decisions.unanswered(now, config.escalationBatch())) {
            d.unansweredEscalatedAt = now;
            Decision escalation = d.escalation(RollbackEscalated.RULE_UNANSWERED, d.action + " decision " + d.id
                    + " (rule " + d.rule + ") was neither acted on nor acknowledged by " + d.respondBy + " ("
                    + d.severity + " response target " + Durations.format(d.severity.responseTarget())
                    + "); escalated", d.severity, now);
            decisions.persist(escalation);
            events.escalated(d, escalation, null);
            metrics.decided(escalation);
            metrics.escalated(escalation);
            LOG.warnf("decision %s: deployment %s ESCALATED (rule %s): %s", escalation.id, d.deploymentId,
                    RollbackEscalated.RULE_UNANSWERED, escalation.reason);
            count++;
        }
        return count;
    }

    private static String truncate(String s) {
        return s == null ? null : s.length() > 2000 ? s.substring(0, 2000) : s;
    }

    @Scheduled(every = "${rollwatch.rollback.escalation-check-interval:5s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkDeadlines() {
        try {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            QuarkusTransaction.requiringNew().run(() -> escalateOverdue(now));
            QuarkusTransaction.requiringNew().run(() -> escalateUnanswered(now));
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
