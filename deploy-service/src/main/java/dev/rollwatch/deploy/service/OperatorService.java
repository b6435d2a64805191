package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.config.DeployConfig;
import dev.rollwatch.deploy.domain.Deployment;
import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.domain.DeploymentStep;
import dev.rollwatch.deploy.domain.IllegalTransitionException;
import dev.rollwatch.deploy.domain.StepStatus;
import dev.rollwatch.deploy.repository.DeploymentRepository;
import dev.rollwatch.deploy.repository.StepRepository;
import dev.rollwatch.events.ApprovalGranted;
import dev.rollwatch.events.DeploymentAborted;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.platform.outbox.Outbox;
import dev.rollwatch.platform.rest.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * Operator decisions: approve a gate, abort, promote. Each runs while the engine is not driving the deployment
 * and in one transaction, so the decision and its events are written together or not at all.
 */
@ApplicationScoped
public class OperatorService {

    private static final Logger LOG = Logger.getLogger(OperatorService.class);
    private static final EnumSet<DeploymentStatus> PROMOTABLE = EnumSet.of(DeploymentStatus.RUNNING,
            DeploymentStatus.AWAITING_APPROVAL, DeploymentStatus.PAUSED);

    private final DeploymentRepository deployments;
    private final StepRepository steps;
    private final DeploymentEvents events;
    private final Outbox outbox;
    private final StepEngine engine;
    private final Event<EngineWake> wake;
    private final Clock clock;
    private final boolean allowSelfApproval;

    public OperatorService(DeploymentRepository deployments, StepRepository steps, DeploymentEvents events,
            Outbox outbox, StepEngine engine, Event<EngineWake> wake, Clock clock, DeployConfig config) {
        this.clock = clock;
        this.allowSelfApproval = config.approvals().allowSelfApproval();
        this.deployments = deployments;
        this.steps = steps;
        this.events = events;
        this.outbox = outbox;
        this.engine = engine;
        this.wake = wake;
    }

    /**
     * Passes the go/no-go gate the deployment waits at (or, after a step back, retries the failed phase); only a
     * deployment AWAITING_APPROVAL can be approved.
     */
    public Deployment approve(UUID id, String by, String reason) {
        return decide(id, d -> {
            if (d.status != DeploymentStatus.AWAITING_APPROVAL) {
                throw new IllegalTransitionException(d.id, d.status, "approve (only AWAITING_APPROVAL can be)");
            }
            requireSecondPerson(d, by, "approve");
            Instant now = StepTransitions.now(clock);
            int index = d.currentStep;
            DeploymentStep gate = steps.step(d.id, index, d.stepAttempt).filter(s -> s.status.isOpen()).orElse(null);
            if (gate != null) {
                gate.approvedBy = by;
                events.completeStep(d, gate, StepStatus.SUCCEEDED, "approved by " + by + why(reason), now);
            }
            d.moveTo(DeploymentStatus.RUNNING, null, now);
            Envelope<ApprovalGranted> event = Envelope.of(DeploymentService.SOURCE, d.id.toString(),
                    new ApprovalGranted(index, by, now, reason)).at(now);
            outbox.publish(event);
            LOG.infof("deployment %s step %d approved by %s (event %s)", d.id, index, by, event.id());
            return d;
        });
    }

    /**
     * Stops the deployment for good. The target is left as it is (an operator who wants the old version back
     * requests a rollback instead, which drives the target and ends ROLLED_BACK).
     */
    public Deployment abort(UUID id, String by, String reason) {
        return decide(id, d -> {
            if (!d.status.canMoveTo(DeploymentStatus.ABORTED)) {
                throw new IllegalTransitionException(d.id, d.status, DeploymentStatus.ABORTED);
            }
            Instant now = StepTransitions.now(clock);
            events.stopOpenStep(d, "aborted by " + by + why(reason), now);
            Envelope<DeploymentAborted> aborted = Envelope.of(DeploymentService.SOURCE, d.id.toString(),
                    new DeploymentAborted(by, now, reason)).at(now);
            outbox.publish(aborted);
            LOG.infof("deployment %s aborted by %s at weight %d (event %s)", d.id, by, d.currentWeight, aborted.id());
            events.finish(d, DeploymentOutcome.ABORTED, "aborted by " + by + why(reason), now, aborted);
            return d;
        });
    }

    /** Skips the remaining steps and sends the new version 100% of the traffic; who and why go into the record. */
    public Deployment promote(UUID id, String by, String reason) {
        return decide(id, d -> {
            if (!PROMOTABLE.contains(d.status)) {
                throw new IllegalTransitionException(d.id, d.status, "promote");
            }
            if (d.promotedBy != null) {
                throw ProblemException.conflict("already-promoted", "deployment " + d.id + " was already promoted by "
                        + d.promotedBy);
            }
            requireSecondPerson(d, by, "promote");
            Instant now = StepTransitions.now(clock);
            int planned = DeploymentService.stepsOf(d).size();
            String detail = "skipped: promoted to 100% by " + by + why(reason);
            steps.step(d.id, d.currentStep, d.stepAttempt).filter(s -> s.status.isOpen())
                    .ifPresent(s -> events.completeStep(d, s, StepStatus.SKIPPED, detail, now));
            d.currentStep = planned;
            d.promotedBy = by;
            d.promoteReason = reason;
            if (d.status != DeploymentStatus.RUNNING) {
                d.moveTo(DeploymentStatus.RUNNING, null, now);
            }
            d.updatedAt = now;
            LOG.infof("deployment %s promoted by %s: %s", d.id, by, reason);
            return d;
        });
    }

    /**
     * Separation of duties (issue 17, 8): whoever requested a deployment may not pass its gates or promote it (which
     * passes every gate at once) unless {@code rollwatch.deploy.approvals.allow-self-approval} is set. Abort stays
     * open to the requester: stopping needs no second person.
     */
    private void requireSecondPerson(Deployment d, String by, String action) {
        if (!allowSelfApproval && by != null && by.equals(d.requestedBy)) {
            throw new ProblemException(403, "self-approval", "Forbidden", by + " requested deployment " + d.id
                    + " and may not " + action + " it: another operator must (rollwatch.deploy.approvals."
                    + "allow-self-approval allows it)");
        }
    }

    private Deployment decide(UUID id, Function<Deployment, Deployment> decision) {
        return engine.exclusively(id, () -> QuarkusTransaction.requiringNew().call(() -> {
            Deployment d = deployments.lock(id).orElseThrow(() -> ProblemException.notFound("deployment",
                    id.toString()));
            Deployment result = decision.apply(d);
            wake.fire(new EngineWake(id));
            return result;
        }));
    }

    private static String why(String reason) {
        return reason == null || reason.isBlank() ? "" : ": " + reason;
    }
}
