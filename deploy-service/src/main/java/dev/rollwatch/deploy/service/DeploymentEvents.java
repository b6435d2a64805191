package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.domain.Deployment;
import dev.rollwatch.deploy.domain.DeploymentStep;
import dev.rollwatch.deploy.domain.StepStatus;
import dev.rollwatch.deploy.driver.DeploymentTarget;
import dev.rollwatch.deploy.repository.StepRepository;
import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.events.ApprovalRequested;
import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.DeploymentSummary;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.StepOutcome;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.events.StepStarted;
import dev.rollwatch.events.Verdict;
import dev.rollwatch.platform.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The step and deployment events, written to the outbox in the caller's transaction, each with its log line. */
@ApplicationScoped
public class DeploymentEvents {

    private static final Logger LOG = Logger.getLogger(DeploymentEvents.class);
    /** Who may approve, abort or promote a deployment waiting for a person (docs/security.md). */
    public static final String APPROVERS = "operator";

    private final Outbox outbox;
    private final StepRepository steps;
    private final MeterRegistry registry;

    public DeploymentEvents(Outbox outbox, StepRepository steps, MeterRegistry registry) {
        this.outbox = outbox;
        this.steps = steps;
        this.registry = registry;
    }

    /** The steps a deployment runs: its strategy, plus a final 100% step once promoted. */
    public static List<StepSpec> plan(Deployment d) {
        List<StepSpec> plan = new ArrayList<>(DeploymentService.stepsOf(d));
        if (d.promotedBy != null) {
            plan.add(StepSpec.setWeight(100));
        }
        return plan;
    }

    public static DeploymentTarget target(Deployment d) {
        return new DeploymentTarget(d.id, d.targetType, d.targetUrl, d.service, d.environment,
                d.previousVersion != null ? d.previousVersion : d.version, d.version);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public DeploymentStep startStep(Deployment d, int index, StepSpec spec, Instant now) {
        Instant deadline = switch (spec.kind()) {
            case PAUSE -> spec.duration() == null ? null : now.plus(spec.duration());
            case ANALYSIS -> now.plus(spec.duration() == null ? Duration.ZERO : spec.duration());
            default -> null;
        };
        DeploymentStep step = DeploymentStep.start(d.id, index, d.stepAttempt, spec.kind(), spec.weight(), now,
                deadline);
        steps.persist(step);
        d.updatedAt = now;
        Envelope<StepStarted> event = Envelope.of(DeploymentService.SOURCE, d.id.toString(),
                new StepStarted(index, spec.kind(), spec.weight(), deadline)).at(now);
        outbox.publish(event);
        LOG.infof("deployment %s step %d %s started (event %s, deadline %s)", d.id, index, spec.kind(), event.id(),
                deadline);
        return step;
    }

    /** Closes an open step and says so; SUCCEEDED and SKIPPED move the deployment on to the next step. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void completeStep(Deployment d, DeploymentStep step, StepStatus outcome, String detail, Instant now) {
        completeStep(d, step, outcome, detail, now, null);
    }

    /** {@link #completeStep}, for an ANALYSIS step with the verdict that decided it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void completeStep(Deployment d, DeploymentStep step, StepStatus outcome, String detail, Instant now,
            Verdict verdict) {
        completeStep(d, step, outcome, detail, now, verdict, false);
    }

    /**
     * {@link #completeStep(Deployment, DeploymentStep, StepStatus, String, Instant, Verdict)}; {@code rehearsal}: the
     * start-up warm-up's run of a rollback ({@link RollbackExecutor#begin(Envelope, boolean)}), without the step
     * counter and the log line.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void completeStep(Deployment d, DeploymentStep step, StepStatus outcome, String detail, Instant now,
            Verdict verdict, boolean rehearsal) {
        step.finish(outcome, truncate(detail), now);
        if (outcome == StepStatus.SUCCEEDED || outcome == StepStatus.SKIPPED) {
            d.currentStep = Math.max(d.currentStep, step.stepIndex + 1);
        }
        d.updatedAt = now;
        Envelope<StepCompleted> event = Envelope.of(DeploymentService.SOURCE, d.id.toString(),
                new StepCompleted(step.stepIndex, step.kind, StepOutcome.valueOf(outcome.name()), d.currentWeight,
                        step.durationMs(), step.detail, verdict)).at(now);
        outbox.publish(event);
        if (rehearsal) {
            return;
        }
        registry.counter("rollwatch.deploy.steps", "kind", step.kind.name(), "outcome", outcome.name()).increment();
        LOG.infof("deployment %s step %d %s %s: %s (event %s)", d.id, step.stepIndex, step.kind, outcome,
                step.detail, event.id());
    }

    /**
     * Moves the deployment to AWAITING_APPROVAL at step {@code index} and tells someone: an ApprovalRequested naming
     * who may decide ({@value #APPROVERS}) and why it waits (gate reached, analysis inconclusive, stepped back).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void awaitApproval(Deployment d, int index, String reason, Instant now) {
        d.moveTo(DeploymentStatus.AWAITING_APPROVAL, "step " + index + ": " + reason, now);
        Envelope<ApprovalRequested> event = Envelope.of(DeploymentService.SOURCE, d.id.toString(),
                new ApprovalRequested(d.service, d.environment, d.version, index, truncate(reason), APPROVERS, now))
                .at(now);
        outbox.publish(event);
        LOG.infof("deployment %s waits for approval at step %d: %s (event %s)", d.id, index, reason, event.id());
    }

    /** Moves the deployment to the outcome's terminal state and publishes DeploymentFinished. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Envelope<DeploymentFinished> finish(Deployment d, DeploymentOutcome outcome, String reason, Instant now,
            Envelope<?> cause) {
        d.moveTo(dev.rollwatch.deploy.domain.DeploymentStatus.valueOf(outcome.name()), reason, now);
        return finishAs(d, outcome, reason, now, cause);
    }

    /** Publishes DeploymentFinished for a deployment already in its terminal state, caused by {@code cause}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Envelope<DeploymentFinished> finishAs(Deployment d, DeploymentOutcome outcome, String reason, Instant now,
            Envelope<?> cause) {
        // Steps re-run after a step back count once.
        long completed = steps.history(d.id).stream().filter(s -> s.status == StepStatus.SUCCEEDED)
                .map(s -> s.stepIndex).distinct().count();
        String active = d.currentWeight == 0 && d.previousVersion != null ? d.previousVersion : d.version;
        Envelope<DeploymentFinished> event = Envelope.of(DeploymentService.SOURCE, d.id.toString(),
                new DeploymentFinished(outcome, new DeploymentSummary(d.service, d.environment, d.version, active,
                        DeploymentService.stepsOf(d).size(), (int) completed, 100, d.currentWeight,
                        Duration.between(d.createdAt, now).toMillis(), reason))).at(now);
        if (cause != null) {
            event = event.causedBy(cause);
        }
        outbox.publish(event);
        registry.counter("rollwatch.deploy.finished", "outcome", outcome.name()).increment();
        LOG.infof("deployment %s finished %s at weight %d: %s (event %s)", d.id, outcome, d.currentWeight, reason,
                event.id());
        return event;
    }

    /** Closes the deployment's open step, if any, as ABORTED (a rollback or an abort stopped it). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void stopOpenStep(Deployment d, String why, Instant now) {
        steps.step(d.id, d.currentStep, d.stepAttempt).filter(s -> s.status.isOpen())
                .ifPresent(s -> completeStep(d, s, StepStatus.ABORTED, why, now));
    }

    static String truncate(String text) {
        return text == null || text.length() <= 4000 ? text : text.substring(0, 3990) + "…";
    }
}
