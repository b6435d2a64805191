package dev.rollwatch.notifier.domain;

import dev.rollwatch.events.ApprovalRequested;
import dev.rollwatch.events.BakeCheckpoint;
import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackDecided;
import dev.rollwatch.events.RollbackEscalated;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.RollbackVerified;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepOutcome;
import dev.rollwatch.events.ThresholdBreached;

/**
 * What routes match on. {@code severity} decides how loud an alert is (the default routes: P0 and P1 page, P2
 * alerts the on-call, P3 and none chat):
 * <ul>
 * <li>a breach: its own severity (P0 for a target that is down, kind {@code unavailable});</li>
 * <li>a rollback request: the deciding breach's severity (absent for a manual one);</li>
 * <li>a completed rollback: FAILED is an escalation (P1), UNVERIFIED is P0 (the restored version is not healthy:
 * the incident is still on); SUCCEEDED and STEPPED_BACK have none;</li>
 * <li>an escalation: its own (P0 for {@code rollback-unverified}, the decision's for {@code decision-unanswered});</li>
 * <li>a rollback decision: its urgency ({@link #urgency}): a decision that waits for a person (CONDITIONAL,
 * APPROVAL_REQUIRED, HOLD) pages at P1, or P0 when the decision is about a P0; ALERT is P2, NOTIFY P3;</li>
 * <li>a rollback verification: UNVERIFIED P0 (page), VERIFIED P3 (informational);</li>
 * <li>a phase reached, a bake checkpoint, a gate waiting, a deployment started or finished: none (informational:
 * only routes without a severity match them).</li>
 * </ul>
 * Service and environment come from the event, or, for a step (which carries neither), from the deployment's
 * {@link DeploymentContext}; without one they are null, and only routes that do not narrow by them match.
 */
public record AlertFacts(AlertKind kind, Severity severity, String service, String environment) {

    /** Whether people are told about this event at all: every event of an {@link AlertKind}, except steps that are
     * not a phase reached (only a SET_WEIGHT step that SUCCEEDED is). */
    public static boolean notifiable(Envelope<? extends EventData> event) {
        if (AlertKind.of(event.type()).isEmpty()) {
            return false;
        }
        return !(event.data() instanceof StepCompleted s) || phaseReached(s);
    }

    /** A SET_WEIGHT step that SUCCEEDED: the deployment reached a phase ("checkout 2.4.0 at 25 %"). */
    public static boolean phaseReached(StepCompleted step) {
        return step.kind() == StepKind.SET_WEIGHT && step.outcome() == StepOutcome.SUCCEEDED;
    }

    public static AlertFacts of(Envelope<? extends EventData> event) {
        return of(event, null);
    }

    public static AlertFacts of(Envelope<? extends EventData> event, DeploymentContext context) {
        AlertKind kind = AlertKind.of(event.type())
                .orElseThrow(() -> new IllegalArgumentException("not an alert: " + event.type().type()));
        EventData data = event.data();
        if (data instanceof ThresholdBreached b) {
            return new AlertFacts(kind, b.severity(), b.service(), b.environment());
        }
        if (data instanceof RollbackRequested r) {
            return new AlertFacts(kind, r.severity(), r.service(), r.environment());
        }
        if (data instanceof RollbackCompleted c) {
            Severity severity = switch (c.outcome()) {
                case FAILED -> Severity.P1;
                case UNVERIFIED -> Severity.P0;
                default -> null;
            };
            return new AlertFacts(kind, severity, c.service(), c.environment());
        }
        if (data instanceof RollbackEscalated e) {
            return new AlertFacts(kind, e.severity(), e.service(), e.environment());
        }
        if (data instanceof RollbackDecided d) {
            return new AlertFacts(kind, urgency(d.action(), d.severity()), d.service(), d.environment());
        }
        if (data instanceof RollbackVerified v) {
            return new AlertFacts(kind, RollbackVerified.UNVERIFIED.equals(v.outcome()) ? Severity.P0 : Severity.P3,
                    v.service(), v.environment());
        }
        if (data instanceof BakeCheckpoint b) {
            return new AlertFacts(kind, null, b.service(), b.environment());
        }
        if (data instanceof ApprovalRequested a) {
            return new AlertFacts(kind, null, a.service(), a.environment());
        }
        if (data instanceof StepCompleted) {
            return new AlertFacts(kind, null, context == null ? null : context.service(),
                    context == null ? null : context.environment());
        }
        if (data instanceof DeploymentStarted s) {
            return new AlertFacts(kind, null, s.service(), s.environment());
        }
        if (data instanceof DeploymentFinished f) {
            return new AlertFacts(kind, null, f.summary().service(), f.summary().environment());
        }
        throw new IllegalArgumentException("not an alert: " + event.type().type());
    }

    /** How urgently a rollback decision needs a person, as the severity routes match on (action only). */
    static Severity urgency(String action) {
        return urgency(action, null);
    }

    /**
     * How urgently a rollback decision needs a person: a decision that waits for one (CONDITIONAL: decide by
     * {@code decideBy}; APPROVAL_REQUIRED; HOLD) pages, at P0 when the decision is about a P0 and P1 otherwise
     * (runbook 000: P1 pages; the decision is bound by its response target either way); ALERT is P2 (chat and the
     * on-call), NOTIFY P3; ATTACHED, IGNORED and ESCALATED (the escalation itself pages) tell nobody.
     */
    static Severity urgency(String action, Severity decisionSeverity) {
        return switch (action) {
            case RollbackDecided.CONDITIONAL, RollbackDecided.APPROVAL_REQUIRED, RollbackDecided.HOLD ->
                    decisionSeverity == Severity.P0 ? Severity.P0 : Severity.P1;
            case RollbackDecided.ALERT -> Severity.P2;
            case RollbackDecided.NOTIFY -> Severity.P3;
            default -> null;
        };
    }
}
