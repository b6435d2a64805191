package dev.rollwatch.rollback.service;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepOutcome;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Trigger;
import dev.rollwatch.events.Verdict;
import dev.rollwatch.rollback.domain.BreachFacts;
import dev.rollwatch.rollback.domain.Decision;
import dev.rollwatch.rollback.domain.DecisionAction;
import dev.rollwatch.rollback.domain.DecisionMatrix;
import dev.rollwatch.rollback.domain.Policy;
import dev.rollwatch.rollback.domain.PriorBreach;
import dev.rollwatch.rollback.domain.PolicyPack;
import dev.rollwatch.rollback.domain.TrackedDeployment;
import dev.rollwatch.rollback.repository.BreachRecoveryRepository;
import dev.rollwatch.rollback.repository.DecisionRepository;
import dev.rollwatch.rollback.repository.PolicyRepository;
import dev.rollwatch.rollback.repository.TrackedDeploymentRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Decides what a breach (or a failed smoke step) means: takes the deployment's lock, reads the policy in force and the breach history,
 * applies {@link DecisionMatrix}, and records the decision, publishing a RollbackRequested when it is ROLLBACK and a
 * RollbackDecided otherwise (both caused by the breach). A CONDITIONAL breach alerted on whose recovery arrived first
 * (ThresholdRecovered travels on its own topic) is followed up at once by {@link PersistentBreaches#followUp}.
 */
@ApplicationScoped
public class BreachDecisions {

    private static final Logger LOG = Logger.getLogger(BreachDecisions.class);

    private final TrackedDeploymentRepository deployments;
    private final PolicyRepository policies;
    private final DecisionRepository decisions;
    private final RollbackRequester requester;
    private final DecisionMetrics metrics;
    private final DecisionEvents events;
    private final BreachRecoveryRepository recoveries;
    private final PersistentBreaches persistent;

    public BreachDecisions(TrackedDeploymentRepository deployments, PolicyRepository policies,
            DecisionRepository decisions, RollbackRequester requester, DecisionMetrics metrics,
            DecisionEvents events, BreachRecoveryRepository recoveries, PersistentBreaches persistent) {
        this.recoveries = recoveries;
        this.persistent = persistent;
        this.deployments = deployments;
        this.policies = policies;
        this.decisions = decisions;
        this.requester = requester;
        this.metrics = metrics;
        this.events = events;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Decision decide(Envelope<ThresholdBreached> event) {
        ThresholdBreached b = event.data();
        String deploymentId = DeploymentTracker.deploymentId(event);
        TrackedDeployment deployment = deployments.lockOrCreate(deploymentId, b.service(), b.environment(),
                b.version(), Times.now());
        return decide(event, deployment, BreachFacts.of(event.id(), b), b.ruleVersion());
    }

    /**
     * A failed smoke step is a breach of kind smoke (runbook 001: "smoke tests fail → immediate rollback"), an
     * ANALYSIS step that ended with verdict ERROR one of kind analysis-error (it could not measure: decided by the
     * pack, never left silent). Other steps and outcomes are not breaches and leave no decision. A step of a
     * deployment this service has not seen start cannot be decided (the event names no service) and is logged.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Decision> decideStep(Envelope<StepCompleted> event) {
        StepCompleted step = event.data();
        boolean smokeFailed = step.kind() == StepKind.SMOKE && step.outcome() == StepOutcome.FAILED;
        boolean analysisError = step.kind() == StepKind.ANALYSIS && step.verdict() == Verdict.ERROR;
        if (!smokeFailed && !analysisError) {
            return Optional.empty();
        }
        String deploymentId = DeploymentTracker.deploymentId(event);
        Optional<TrackedDeployment> deployment = deployments.lock(deploymentId);
        if (deployment.isEmpty()) {
            LOG.warnf("%s step %d of unknown deployment %s (event %s): no decision, the deployment's "
                    + "service is unknown", smokeFailed ? "failed smoke" : "analysis ERROR", step.stepIndex(),
                    deploymentId, event.id());
            return Optional.empty();
        }
        Instant at = event.time() != null ? event.time() : Times.now();
        BreachFacts facts = smokeFailed ? BreachFacts.smokeFailed(event.id(), step.stepIndex(), step.detail(), at)
                : BreachFacts.analysisError(event.id(), step.stepIndex(), step.detail(), at);
        return Optional.of(decide(event, deployment.get(), facts, null));
    }

    private Decision decide(Envelope<?> event, TrackedDeployment deployment, BreachFacts breach,
            String ruleVersion) {
        Instant now = Times.now();
        String deploymentId = deployment.deploymentId;
        Policy policy = policies.effective(deployment.service, deployment.environment);
        BreachFacts facts = breach.deploymentStartedAt() != null || deployment.startedAt == null ? breach
                : new BreachFacts(breach.eventId(), breach.severity(), breach.check(), breach.metric(),
                        breach.observed(), breach.threshold(), breach.operator(), breach.failures(),
                        breach.failureLimit(), breach.observedAt(), breach.description(), breach.kind(),
                        breach.phase(), breach.trendPerHour(), breach.stepStartedAt(), deployment.startedAt);
        List<PriorBreach> history = decisions.priorBreaches(deploymentId);
        PolicyPack pack = PolicyPack.byRef(policy.pack).orElseGet(PolicyPack::runbook);
        dev.rollwatch.rollback.domain.Verdict verdict = DecisionMatrix.decide(facts,
                requester.situation(deployment), history, policy.rules(), pack, now);

        Decision decision = Decision.about(deployment, verdict.action(), verdict.rule(), verdict.reason(), now);
        decision.severity = verdict.severity() != null ? verdict.severity() : breach.severity();
        decision.checkName = breach.check();
        decision.breachEventId = event.id();
        decision.breachSource = event.source();
        decision.observedAt = breach.observedAt();
        decision.figures(breach);
        decision.policyId = policy.id;
        decision.policyVersion = policy.version;
        decision.ruleVersion = ruleVersion;
        decision.phase = facts.phase();
        decision.policyPack = pack.ref();
        decision.packRule = verdict.packRule();
        decision.seedRule = verdict.seedRule();
        decision.followUpAt = verdict.followUpAt();
        decision.decideBy = verdict.decideBy();
        decision.deciders = verdict.deciders();
        decision.defaultAction = verdict.defaultAction();
        if (verdict.action() == DecisionAction.ROLLBACK) {
            requester.request(deployment, decision, policy, Trigger.AUTOMATIC, verdict.breachEventIds(),
                    verdict.detectedAt(), RollbackRequester.REQUESTED_BY, event, now);
        } else {
            if (verdict.action() == DecisionAction.ATTACHED) {
                decision.relatedDecision = decisions.rollbackOf(deploymentId).map(r -> r.id).orElse(null);
            }
            if (verdict.action() != DecisionAction.IGNORED && verdict.action() != DecisionAction.ATTACHED) {
                decision.respondWithinTarget();
            }
            decisions.persist(decision);
            events.decided(decision, event.id());
        }
        metrics.decided(decision);
        LOG.infof("decision %s: deployment %s breach %s -> %s (rule %s, %s %s, policy %d v%d): %s", decision.id,
                deploymentId, event.id(), decision.action, decision.rule, decision.policyPack, decision.packRule,
                policy.id, policy.version, decision.reason);
        if ((decision.rule.endsWith("-below-repeat-limit") || decision.followUpAt != null)
                && decision.action == DecisionAction.ALERT && recoveries.ofBreach(event.id()).isPresent()) {
            // Its recovery came first: the follow-up is decided now, strictly after the alert it follows up.
            Instant later = Times.now();
            persistent.followUp(decision, deployment, later.isAfter(now) ? later : now.plus(1, ChronoUnit.MICROS));
        }
        return decision;
    }
}
