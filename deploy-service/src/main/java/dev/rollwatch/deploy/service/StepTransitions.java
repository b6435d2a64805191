package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.config.DeployConfig;
import dev.rollwatch.deploy.domain.Deployment;
import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.domain.DeploymentStep;
import dev.rollwatch.deploy.domain.StepStatus;
import dev.rollwatch.deploy.driver.TargetState;
import dev.rollwatch.deploy.repository.DeploymentRepository;
import dev.rollwatch.deploy.repository.StepRepository;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.StepSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The step engine's short transactions: decide what a deployment needs next, and record what a target call or a
 * smoke run did. Each locks the deployment row, so they serialise with the API and the Kafka consumers.
 */
@ApplicationScoped
public class StepTransitions {

    private static final Logger LOG = Logger.getLogger(StepTransitions.class);

    private final DeploymentRepository deployments;
    private final StepRepository steps;
    private final DeploymentEvents events;
    private final Duration analysisGrace;
    private final Clock clock;

    public StepTransitions(DeploymentRepository deployments, StepRepository steps, DeploymentEvents events,
            DeployConfig config, Clock clock) {
        this.deployments = deployments;
        this.steps = steps;
        this.events = events;
        this.analysisGrace = config.engine().analysisGrace();
        this.clock = clock;
    }

    /**
     * Moves the deployment through every step that needs no call (timed pauses, analysis verdicts), starting
     * steps as it reaches them, and returns the first call to make (the finalize call once every step is done), or
     * nothing.
     */
    @Transactional
    public Work next(UUID id) {
        Deployment d = deployments.lock(id).orElse(null);
        if (d == null) {
            return Work.NONE;
        }
        if (d.status == DeploymentStatus.ROLLING_BACK && d.stepBackToWeight != null) {
            return new Work.StepBack(DeploymentEvents.target(d), d.stepBackToWeight,
                    WebhookIds.stepBack(d.id, d.stepAttempt));
        }
        if (d.status == DeploymentStatus.ROLLING_BACK) {
            return new Work.Rollback(DeploymentEvents.target(d), d.rollbackToVersion, WebhookIds.rollback(d.id));
        }
        if (d.status != DeploymentStatus.RUNNING) {
            return Work.NONE;
        }
        List<StepSpec> plan = DeploymentEvents.plan(d);
        Instant now = now();
        while (d.currentStep < plan.size()) {
            int index = d.currentStep;
            StepSpec spec = plan.get(index);
            DeploymentStep step = steps.step(d.id, index, d.stepAttempt).orElse(null);
            if (step == null) {
                step = events.startStep(d, index, spec, now);
            }
            if (!step.status.isOpen()) {
                d.currentStep = index + 1; // closed by an earlier transaction that did not advance: move on
                continue;
            }
            switch (spec.kind()) {
                case SET_WEIGHT:
                    return new Work.SetWeight(index, DeploymentEvents.target(d), spec.weight(),
                            WebhookIds.traffic(d.id, index, d.stepAttempt));
                case SMOKE:
                    return new Work.Smoke(index, DeploymentEvents.target(d), spec.checks());
                case PAUSE:
                    if (step.deadline == null) {
                        events.awaitApproval(d, index, "go/no-go gate, waiting for approval", now);
                        return Work.NONE;
                    }
                    if (!StepPolicy.due(step.deadline, Duration.ZERO, now)) {
                        return Work.NONE;
                    }
                    events.completeStep(d, step, StepStatus.SUCCEEDED, "paused " + spec.duration(), now);
                    break;
                case ANALYSIS:
                    if (!analyse(d, step, now)) {
                        return Work.NONE;
                    }
                    break;
                default:
                    throw new IllegalStateException("unknown step kind " + spec.kind());
            }
        }
        // Every step is done. The target hears that the rollout is over before the deployment is SUCCEEDED
        // (finalized() records it), so SUCCEEDED always means the target runs the new version as its stable one.
        return new Work.Finalize(DeploymentEvents.target(d), d.version, WebhookIds.finalize(d.id));
    }

    /** Applies the analysis verdict (or its absence past the grace period); true when the rollout moves on. */
    private boolean analyse(Deployment d, DeploymentStep step, Instant now) {
        Optional<StepRepository.RecordedVerdict> verdict = steps.verdict(d.id, step.stepIndex, step.attempt);
        if (verdict.isEmpty()) {
            if (!StepPolicy.due(step.deadline, analysisGrace, now)) {
                return false;
            }
            step.detail = "no analysis verdict by " + step.deadline.plus(analysisGrace) + ": INCONCLUSIVE";
            events.awaitApproval(d, step.stepIndex, "analysis inconclusive: " + step.detail, now);
            return false;
        }
        String detail = "analysis " + verdict.get().verdict()
                + (verdict.get().detail() == null ? "" : ": " + verdict.get().detail());
        switch (StepPolicy.onVerdict(verdict.get().verdict())) {
            case ADVANCE -> {
                events.completeStep(d, step, StepStatus.SUCCEEDED, detail, now, verdict.get().verdict());
                return true;
            }
            case HALT -> {
                events.completeStep(d, step, StepStatus.FAILED, detail, now, verdict.get().verdict());
                d.moveTo(DeploymentStatus.PAUSED, "step " + step.stepIndex + " " + detail
                        + "; awaiting the rollback decision", now);
                return false;
            }
            default -> {
                step.detail = DeploymentEvents.truncate(detail);
                events.awaitApproval(d, step.stepIndex, "analysis inconclusive: " + detail, now);
                return false;
            }
        }
    }

    /** The target confirmed a weight: record it, and close the step if the rollout is still going. */
    @Transactional
    public void weightSet(UUID id, int index, int weight, TargetState state) {
        Deployment d = deployments.lock(id).orElseThrow();
        d.currentWeight = weight; // a fact about the target, whatever happened to the deployment meanwhile
        DeploymentStep step = steps.step(id, index, d.stepAttempt).orElseThrow();
        if (step.status.isOpen() && d.status == DeploymentStatus.RUNNING) {
            String promotion = index >= DeploymentService.stepsOf(d).size()
                    ? "promoted by " + d.promotedBy + (d.promoteReason == null ? "" : " (" + d.promoteReason + ")")
                    + "; " : "";
            events.completeStep(d, step, StepStatus.SUCCEEDED, promotion + "target at " + weight + "% ("
                    + (state.canaryVersion() == null ? d.version : state.canaryVersion()) + " over "
                    + (state.stableVersion() == null ? d.previousVersion : state.stableVersion()) + ")", now());
        } else {
            LOG.infof("deployment %s step %d: weight %d confirmed after the deployment became %s", id, index, weight,
                    d.status);
        }
    }

    /** The target refused or never answered a weight change: the step and the deployment fail. */
    @Transactional
    public void weightFailed(UUID id, int index, String problem) {
        Deployment d = deployments.lock(id).orElseThrow();
        DeploymentStep step = steps.step(id, index, d.stepAttempt).orElseThrow();
        if (!step.status.isOpen() || d.status != DeploymentStatus.RUNNING) {
            LOG.infof("deployment %s step %d: weight call failed after the deployment became %s: %s", id, index,
                    d.status, problem);
            return;
        }
        Instant now = now();
        events.completeStep(d, step, StepStatus.FAILED, "target call failed: " + problem, now);
        events.finish(d, DeploymentOutcome.FAILED, "step " + index + " setWeight failed: " + problem, now, null);
    }

    /**
     * The target confirmed the finalize: the deployment is SUCCEEDED, if it is still a finished rollout (an abort or
     * a promote on another replica may have come in while the call was in flight; the call is then only a fact).
     */
    @Transactional
    public void finalized(UUID id, TargetState state) {
        Deployment d = deployments.lock(id).orElseThrow();
        if (!awaitingFinalize(d)) {
            LOG.infof("deployment %s: finalize confirmed after the deployment became %s at step %d", id, d.status,
                    d.currentStep);
            return;
        }
        LOG.infof("deployment %s: target finalized, %s is the stable version of %s", id,
                state.stableVersion() == null ? d.version : state.stableVersion(), d.service);
        events.finish(d, DeploymentOutcome.SUCCEEDED, null, now(), null);
    }

    /**
     * The target refused the finalize (4xx) or never answered it (after the driver's retries): treated like a
     * failed setWeight, the deployment FAILED and never SUCCEEDED. The target is left as the last step put it (the
     * new version at the last weight, as a canary of the previous one).
     */
    @Transactional
    public void finalizeFailed(UUID id, String problem) {
        Deployment d = deployments.lock(id).orElseThrow();
        if (!awaitingFinalize(d)) {
            LOG.infof("deployment %s: finalize failed after the deployment became %s: %s", id, d.status, problem);
            return;
        }
        events.finish(d, DeploymentOutcome.FAILED, "finalize failed: " + problem + "; the target was left at "
                + d.currentWeight + "% of " + d.version, now(), null);
    }

    /** RUNNING with every step of its plan (the promotion step included) done. */
    private static boolean awaitingFinalize(Deployment d) {
        return d.status == DeploymentStatus.RUNNING && d.currentStep >= DeploymentEvents.plan(d).size();
    }

    /**
     * Records a smoke run; a failed check is a P1 signal: the rollout halts for the rollback decision. A smoke step
     * before any setWeight checks the current version (the runbooks' pre-deploy health check): if it fails the
     * deployment FAILS at once, there being no traffic to take back.
     */
    @Transactional
    public void smokeDone(UUID id, int index, SmokeRunner.Result result) {
        Deployment d = deployments.lock(id).orElseThrow();
        DeploymentStep step = steps.step(id, index, d.stepAttempt).orElseThrow();
        step.smokePassed = result.passed();
        step.smokeTotal = result.total();
        if (!step.status.isOpen() || d.status != DeploymentStatus.RUNNING) {
            return;
        }
        Instant now = now();
        if (result.allPassed()) {
            events.completeStep(d, step, StepStatus.SUCCEEDED, result.summary(), now);
        } else if (StepPolicy.beforeAnyTraffic(DeploymentEvents.plan(d), index) && d.currentWeight == 0) {
            // The pre-deploy health check: the current version is unhealthy, and no traffic has moved yet.
            events.completeStep(d, step, StepStatus.FAILED, result.summary(), now);
            events.finish(d, DeploymentOutcome.FAILED, "step " + index + " pre-deploy check failed: the current "
                    + "version is unhealthy (" + result.firstFailure() + "); no traffic was shifted, nothing to roll "
                    + "back", now, null);
        } else {
            events.completeStep(d, step, StepStatus.FAILED, result.summary(), now);
            d.moveTo(DeploymentStatus.PAUSED, "step " + index + " smoke check failed (P1): " + result.firstFailure()
                    + "; awaiting the rollback decision", now);
        }
    }

    Instant now() {
        return now(clock);
    }

    /** The engine's time: the injected clock's, at the database's precision. */
    static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
