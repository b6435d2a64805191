package dev.rollwatch.notifier.domain;

import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackDecided;
import dev.rollwatch.events.RollbackEscalated;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;

/**
 * What routes match on. {@code severity} is the breach's severity; a failed rollback is an escalation and counts
 * as P1; an escalated rollback has its own (P1). A rollback decision's severity is its urgency: APPROVAL_REQUIRED
 * and HOLD need a person now (P1, a page), ALERT is P2 (chat), NOTIFY P3; ATTACHED and IGNORED have none. Other
 * events have none (a route that names a severity does not match them).
 */
public record AlertFacts(AlertKind kind, Severity severity, String service, String environment) {

    public static AlertFacts of(Envelope<? extends EventData> event) {
        AlertKind kind = AlertKind.of(event.type())
                .orElseThrow(() -> new IllegalArgumentException("not an alert: " + event.type().type()));
        EventData data = event.data();
        if (data instanceof ThresholdBreached b) {
            return new AlertFacts(kind, b.severity(), b.service(), b.environment());
        }
        if (data instanceof RollbackRequested r) {
            return new AlertFacts(kind, null, r.service(), r.environment());
        }
        if (data instanceof RollbackCompleted c) {
            return new AlertFacts(kind, c.outcome() == RollbackOutcome.FAILED ? Severity.P1 : null, c.service(),
                    c.environment());
        }
        if (data instanceof RollbackEscalated e) {
            return new AlertFacts(kind, e.severity(), e.service(), e.environment());
        }
        if (data instanceof RollbackDecided d) {
            return new AlertFacts(kind, urgency(d.action()), d.service(), d.environment());
        }
        if (data instanceof DeploymentStarted s) {
            return new AlertFacts(kind, null, s.service(), s.environment());
        }
        if (data instanceof DeploymentFinished f) {
            return new AlertFacts(kind, null, f.summary().service(), f.summary().environment());
        }
        throw new IllegalArgumentException("not an alert: " + event.type().type());
    }

    /** How urgently a rollback decision needs a person, as the severity routes match on. */
    static Severity urgency(String action) {
        return switch (action) {
            case RollbackDecided.APPROVAL_REQUIRED, RollbackDecided.HOLD -> Severity.P1;
            case RollbackDecided.ALERT -> Severity.P2;
            case RollbackDecided.NOTIFY -> Severity.P3;
            default -> null;
        };
    }
}
