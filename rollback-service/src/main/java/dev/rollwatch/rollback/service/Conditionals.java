package dev.rollwatch.rollback.service;

import dev.rollwatch.events.Trigger;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.rollback.domain.Decision;
import dev.rollwatch.rollback.domain.DecisionAction;
import dev.rollwatch.rollback.domain.DecisionMatrix;
import dev.rollwatch.rollback.domain.Policy;
import dev.rollwatch.rollback.domain.PolicyRules;
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

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * CONDITIONAL decisions (runbook 001 "Conditional Rollback If", 002 P1 "rollback if no quick fix"): a person resolves
 * one (ROLLBACK requests the rollback, trigger MANUAL; HOLD records a HOLD decision), or at its {@code decideBy} its
 * default action happens (rule {@code conditional-default}). Any decision can be acknowledged: who, when — that stops
 * its escalation as unanswered. Every change takes the deployment's lock, like every decision.
 */
@ApplicationScoped
public class Conditionals {

    private static final Logger LOG = Logger.getLogger(Conditionals.class);
    public static final String RESOLVED = "conditional-resolved";
    private static final int BATCH = 100;

    private final DecisionRepository decisions;
    private final TrackedDeploymentRepository deployments;
    private final PolicyRepository policies;
    private final RollbackRequester requester;
    private final DecisionEvents events;
    private final DecisionMetrics metrics;
    private final Clock clock;

    public Conditionals(DecisionRepository decisions, TrackedDeploymentRepository deployments,
            PolicyRepository policies, RollbackRequester requester, DecisionEvents events, DecisionMetrics metrics,
            Clock clock) {
        this.decisions = decisions;
        this.deployments = deployments;
        this.policies = policies;
        this.requester = requester;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * A person's answer to a CONDITIONAL decision. 409 when it is not CONDITIONAL, already resolved, or the
     * deployment is no longer open (finished, or a rollback is already under way).
     */
    @Transactional
    public Decision resolve(UUID id, String action, String reason, String by) {
        Decision conditional = find(id);
        TrackedDeployment deployment = deployments.lock(conditional.deploymentId)
                .orElseThrow(() -> ProblemException.notFound("deployment", conditional.deploymentId));
        decisions.getEntityManager().refresh(conditional);
        if (conditional.action != DecisionAction.CONDITIONAL) {
            throw ProblemException.conflict("not-conditional", "decision " + id + " is " + conditional.action
                    + ", not CONDITIONAL: there is nothing to resolve");
        }
        if (conditional.resolvedAt != null) {
            throw ProblemException.conflict("decision-resolved", "decision " + id + " was already resolved ("
                    + conditional.resolution + " by " + conditional.resolvedBy + " at " + conditional.resolvedAt + ")")
                    .with("resolution", conditional.resolution).with("resolvedBy", conditional.resolvedBy);
        }
        DecisionMatrix.Situation situation = requester.situation(deployment);
        if (!open(situation, conditional)) {
            throw ProblemException.conflict("deployment-not-open", "deployment " + deployment.deploymentId + " is "
                    + (situation == DecisionMatrix.Situation.ROLLBACK_REQUESTED ? "already rolling back"
                    : "finished (" + deployment.outcome + ")") + ": decision " + id + " can no longer be resolved");
        }
        String chosen = action.trim().toUpperCase(Locale.ROOT);
        Instant now = now();
        Policy policy = policies.effective(deployment.service, deployment.environment);
        Decision d = Decision.about(deployment, PolicyRules.ROLLBACK.equals(chosen) ? DecisionAction.ROLLBACK
                : DecisionAction.HOLD, RESOLVED, by + " resolved conditional decision " + id + " (rule "
                + conditional.rule + "): " + chosen + ": " + reason, now);
        copy(conditional, d);
        if (d.action == DecisionAction.ROLLBACK) {
            if (situation == DecisionMatrix.Situation.OPEN_NO_KNOWN_GOOD
                    || situation == DecisionMatrix.Situation.SUCCEEDED_NO_KNOWN_GOOD) {
                throw ProblemException.conflict(DecisionMatrix.NO_KNOWN_GOOD_VERSION, "deployment "
                        + deployment.deploymentId + " has no known good version to roll back to; abort it or fix"
                        + " forward");
            }
            requester.request(deployment, d, policy, Trigger.MANUAL, List.of(conditional.breachEventId),
                    conditional.observedAt, by, null, conditional.breachEventId, null, now);
        } else {
            decisions.persist(d);
            events.decided(d, conditional.breachEventId);
        }
        conditional.resolvedAt = now;
        conditional.resolvedBy = by;
        conditional.resolution = chosen;
        metrics.decided(d);
        LOG.infof("decision %s: deployment %s conditional decision %s resolved %s by %s: %s", d.id,
                deployment.deploymentId, id, chosen, by, reason);
        return d;
    }

    /** Records who acknowledged the decision and when (the first acknowledgement stands). */
    @Transactional
    public Decision acknowledge(UUID id, String by) {
        Decision d = find(id);
        if (d.acknowledgedAt == null) {
            d.acknowledgedAt = now();
            d.acknowledgedBy = by;
            LOG.infof("decision %s: deployment %s acknowledged by %s", d.id, d.deploymentId, by);
        }
        return d;
    }

    @Scheduled(every = "${rollwatch.rollback.conditional-check-interval:5s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        try {
            Instant now = now();
            List<UUID> due = QuarkusTransaction.requiringNew().call(() -> decisions.dueConditionals(now, BATCH)
                    .stream().map(c -> c.id).toList());
            for (UUID id : due) {
                QuarkusTransaction.requiringNew().run(() -> applyDefault(id, now));
            }
        } catch (RuntimeException e) {
            LOG.warnf("conditional check failed, retrying at the next interval: %s", e.getMessage());
        }
    }

    /**
     * Applies the default action of the CONDITIONAL decision {@code id} if its deadline passed at {@code now} and
     * nobody resolved it; empty when there was nothing to do. A decision whose deployment is no longer open is
     * closed as OBSOLETE.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Decision> applyDefault(UUID id, Instant now) {
        Decision conditional = find(id);
        Optional<TrackedDeployment> locked = deployments.lock(conditional.deploymentId);
        decisions.getEntityManager().refresh(conditional);
        if (locked.isEmpty() || conditional.resolvedAt != null || conditional.decideBy == null
                || now.isBefore(conditional.decideBy)) {
            return Optional.empty();
        }
        TrackedDeployment deployment = locked.get();
        Policy policy = policies.effective(deployment.service, deployment.environment);
        DecisionMatrix.Situation situation = requester.situation(deployment);
        Optional<Verdict> verdict = open(situation, conditional) ? DecisionMatrix.conditionalDefault(
                conditional.id.toString(), conditional.defaultAction, conditional.decideBy, conditional.severity,
                conditional.breachEventId, conditional.observedAt, situation, policy.rules(), now) : Optional.empty();
        conditional.resolvedAt = now;
        conditional.resolvedBy = RollbackRequester.REQUESTED_BY;
        if (verdict.isEmpty()) {
            conditional.resolution = "OBSOLETE";
            LOG.infof("decision %s: deployment %s no longer open (%s) at its deadline: closed", id,
                    deployment.deploymentId, deployment.state);
            return Optional.empty();
        }
        Verdict v = verdict.get();
        conditional.resolution = v.action().name();
        Decision d = Decision.about(deployment, v.action(), v.rule(), v.reason(), now);
        copy(conditional, d);
        if (v.action() == DecisionAction.ROLLBACK) {
            requester.request(deployment, d, policy, v.breachEventIds(), v.detectedAt(), conditional.breachEventId,
                    now);
        } else {
            d.respondWithinTarget();
            decisions.persist(d);
            events.decided(d, conditional.breachEventId);
        }
        metrics.decided(d);
        LOG.infof("decision %s: deployment %s conditional decision %s unresolved at %s -> %s (rule %s): %s", d.id,
                deployment.deploymentId, id, conditional.decideBy, d.action, d.rule, d.reason);
        return Optional.of(d);
    }

    private static boolean open(DecisionMatrix.Situation situation, Decision conditional) {
        if (situation == DecisionMatrix.Situation.SUCCEEDED
                || situation == DecisionMatrix.Situation.SUCCEEDED_NO_KNOWN_GOOD) {
            return "bake".equals(conditional.phase);
        }
        return DecisionMatrix.isOpen(situation);
    }

    private static void copy(Decision conditional, Decision d) {
        d.severity = conditional.severity;
        d.checkName = conditional.checkName;
        d.observedAt = conditional.observedAt;
        d.figuresOf(conditional);
        d.phase = conditional.phase;
        d.policyPack = conditional.policyPack;
        d.packRule = conditional.packRule;
        d.seedRule = conditional.seedRule;
        d.relatedDecision = conditional.id;
        d.ruleVersion = conditional.ruleVersion;
    }

    private Decision find(UUID id) {
        return decisions.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("decision",
                id.toString()));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
