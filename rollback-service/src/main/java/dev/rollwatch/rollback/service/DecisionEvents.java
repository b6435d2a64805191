package dev.rollwatch.rollback.service;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.PolicyChanged;
import dev.rollwatch.events.PolicyContent;
import dev.rollwatch.events.RollbackDecided;
import dev.rollwatch.events.RollbackEscalated;
import dev.rollwatch.platform.outbox.Outbox;
import dev.rollwatch.rollback.domain.Decision;
import dev.rollwatch.rollback.domain.DecisionAction;
import dev.rollwatch.rollback.domain.DecisionMatrix;
import dev.rollwatch.rollback.domain.Policy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Duration;

/**
 * The events that make decisions visible beyond this service, written to the outbox in the transaction that
 * records the decision or the policy version: RollbackDecided for every decision that is not a rollback request,
 * RollbackEscalated for an escalation, PolicyChanged for every policy version.
 */
@ApplicationScoped
public class DecisionEvents {

    private final Outbox outbox;

    public DecisionEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * Publishes RollbackDecided for an ALERT, NOTIFY, ATTACHED or IGNORED decision, caused by the breach it decided.
     * A freeze and a rollback with no known good version to go to are published as {@code HOLD} (page), auto-rollback
     * off as {@code APPROVAL_REQUIRED}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Envelope<RollbackDecided> decided(Decision d, String causationId) {
        Envelope<RollbackDecided> event = causedBy(Envelope.of(RollbackRequester.SOURCE, d.deploymentId,
                new RollbackDecided(d.service, d.environment, d.id.toString(), wireAction(d), d.rule, d.reason,
                        d.severity, d.checkName, d.policyId, d.policyVersion, d.breachEventId,
                        d.relatedDecision != null ? d.relatedDecision.toString() : null, d.respondBy, d.decideBy,
                        d.deciders, d.defaultAction, d.policyPack, d.seedRule)), causationId);
        outbox.publish(event);
        return event;
    }

    /**
     * Publishes RollbackEscalated for an ESCALATED decision about another decision (a rollback, or a decision that
     * went unanswered): {@code deadline} is the rollback's deadline, or the unanswered decision's respondBy.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Envelope<RollbackEscalated> escalated(Decision rollback, Decision escalation, String causationId) {
        Envelope<RollbackEscalated> event = causedBy(Envelope.of(RollbackRequester.SOURCE, rollback.deploymentId,
                new RollbackEscalated(rollback.service, rollback.environment, rollback.id.toString(),
                        rollback.rollbackEventId, escalation.rule, escalation.severity, rollback.decidedAt,
                        rollback.action == DecisionAction.ROLLBACK ? rollback.deadlineAt : rollback.respondBy,
                        escalation.decidedAt, rollback.toVersion, escalation.reason)),
                causationId);
        outbox.publish(event);
        return event;
    }

    /** Publishes PolicyChanged for a newly stored policy version, keyed by its scope. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Envelope<PolicyChanged> policyChanged(Policy p) {
        // PolicyContent (events v1) has no P0 row, pack, overrides or CONDITIONAL terms yet: those are read from
        // GET /api/v1/policies; its "freeze" carries the rollback hold.
        PolicyContent rules = new PolicyContent(p.p1Action.name(), p.p2Action.name(), p.p3Action.name(),
                p.repeatCount, Duration.ofMillis(p.repeatWindowMs), p.autoRollback, p.rollbackHold,
                Duration.ofMillis(p.rollbackDeadlineMs));
        Envelope<PolicyChanged> event = Envelope.of(RollbackRequester.SOURCE,
                PolicyChanged.key(p.service, p.environment), new PolicyChanged(p.service, p.environment, p.id,
                        p.version, rules, p.createdBy, p.changeReason, p.createdAt));
        outbox.publish(event);
        return event;
    }

    /** The action as RollbackDecided names it. */
    static String wireAction(Decision d) {
        if (d.action == DecisionAction.ALERT && (DecisionMatrix.ROLLBACK_HOLD.equals(d.rule)
                || DecisionMatrix.NO_KNOWN_GOOD_VERSION.equals(d.rule))) {
            return RollbackDecided.HOLD;
        }
        if (d.action == DecisionAction.ALERT && DecisionMatrix.AUTO_ROLLBACK_OFF.equals(d.rule)) {
            return RollbackDecided.APPROVAL_REQUIRED;
        }
        return switch (d.action) {
            case CONDITIONAL -> RollbackDecided.CONDITIONAL;
            case HOLD -> RollbackDecided.HOLD;
            case ALERT -> RollbackDecided.ALERT;
            case NOTIFY -> RollbackDecided.NOTIFY;
            case ATTACHED -> RollbackDecided.ATTACHED;
            case IGNORED -> RollbackDecided.IGNORED;
            case ROLLBACK, ESCALATED -> throw new IllegalArgumentException("decision " + d.id + " is " + d.action
                    + ": published as RollbackRequested / RollbackEscalated, not RollbackDecided");
        };
    }

    /** The event, caused by the event with id {@code causationId} (when known), correlated by its subject. */
    static <T extends EventData> Envelope<T> causedBy(Envelope<T> e, String causationId) {
        if (causationId == null) {
            return e;
        }
        return new Envelope<>(e.id(), e.source(), e.type(), e.subject(), e.time(), causationId, e.correlationId(),
                e.partitionKey(), e.data());
    }
}
