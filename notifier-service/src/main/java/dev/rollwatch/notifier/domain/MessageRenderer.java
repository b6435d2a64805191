package dev.rollwatch.notifier.domain;

import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.DeploymentSummary;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackDecided;
import dev.rollwatch.events.RollbackEscalated;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.ThresholdBreached;

import java.util.List;
import java.util.stream.Collectors;

/** Renders an event as the message people read. Pure: the same event and base URLs give the same text. */
public final class MessageRenderer {

    private final String deploymentBaseUrl;
    private final String auditBaseUrl;

    public MessageRenderer(String deploymentBaseUrl, String auditBaseUrl) {
        this.deploymentBaseUrl = trimSlash(deploymentBaseUrl);
        this.auditBaseUrl = trimSlash(auditBaseUrl);
    }

    public Notification render(Envelope<? extends EventData> event, String deploymentId) {
        String deploymentUrl = deploymentBaseUrl + "/api/v1/deployments/" + deploymentId;
        String timelineUrl = auditBaseUrl + "/api/v1/audit/deployments/" + deploymentId + "/timeline";
        String[] titleAndBody = body(event.data());
        String text = titleAndBody[0] + "\n" + titleAndBody[1] + "\nDeployment: " + deploymentUrl
                + "\nAudit timeline: " + timelineUrl;
        return new Notification(titleAndBody[0], text, deploymentUrl, timelineUrl);
    }

    private static String[] body(EventData data) {
        if (data instanceof ThresholdBreached b) {
            return new String[] {
                    "[" + b.severity() + "] " + b.service() + " " + b.environment() + " " + orUnknown(b.version())
                            + ": check " + b.check() + " breached",
                    "Rule: " + b.metric() + " " + b.operator().symbol() + " " + number(b.threshold())
                            + " (failure limit " + b.failureLimit() + window(b) + ")"
                            + "\nMeasured: " + values(b.observed()) + ", " + b.failures() + " failure(s), at "
                            + b.observedAt()
                            + (b.query() != null ? "\nQuery: " + b.query() : "") };
        }
        if (data instanceof RollbackRequested r) {
            return new String[] {
                    "Rollback requested: " + r.service() + " " + r.environment() + " " + orUnknown(r.fromVersion())
                            + " -> " + orUnknown(r.toVersion()),
                    "Trigger: " + r.trigger() + (r.policyRule() != null ? ", rule " + r.policyRule() : "")
                            + ", requested by " + r.requestedBy() + "\nReason: " + r.reason()
                            + (r.breachEventIds().isEmpty() ? "" : "\nBreaches: " + String.join(", ",
                            r.breachEventIds())) };
        }
        if (data instanceof RollbackCompleted c) {
            return new String[] {
                    "Rollback " + c.outcome() + ": " + c.service() + " " + c.environment() + " -> "
                            + orUnknown(c.toVersion()),
                    "Rollback took " + c.durationMs() + " ms"
                            + (c.detectionToRollbackMs() != null ? ", detection to rollback "
                            + c.detectionToRollbackMs() + " ms" : "")
                            + (c.detail() != null ? "\nDetail: " + c.detail() : "") };
        }
        if (data instanceof DeploymentStarted s) {
            return new String[] {
                    "Deployment started: " + s.service() + " " + s.environment() + " " + orUnknown(s.previousVersion())
                            + " -> " + s.version(),
                    "Requested by " + s.requestedBy() + ", " + s.steps().size() + " step(s), "
                            + s.analysis().checks().size() + " check(s)" };
        }
        if (data instanceof DeploymentFinished f) {
            DeploymentSummary s = f.summary();
            return new String[] {
                    "Deployment " + f.outcome() + ": " + s.service() + " " + s.environment() + " " + s.version(),
                    "Active version " + orUnknown(s.activeVersion()) + ", " + s.stepsCompleted() + "/"
                            + s.stepsPlanned() + " step(s), weight " + s.finalWeight() + "/" + s.targetWeight()
                            + "%, " + s.durationMs() + " ms" + (s.reason() != null ? "\nReason: " + s.reason() : "") };
        }
        if (data instanceof RollbackEscalated e) {
            return new String[] {
                    "[" + e.severity() + "] Rollback escalated: " + e.service() + " " + e.environment() + " -> "
                            + orUnknown(e.toVersion()),
                    "Rule: " + e.rule() + "\nRequested at " + e.requestedAt() + ", deadline " + e.deadline()
                            + ", escalated at " + e.escalatedAt() + "\nDecision: " + e.decisionId()
                            + (e.detail() != null ? "\nDetail: " + e.detail() : "") };
        }
        if (data instanceof RollbackDecided d) {
            return new String[] {
                    "Rollback decision " + d.action() + ": " + d.service() + " " + d.environment()
                            + (d.check() != null ? ", check " + d.check() : "")
                            + (d.severity() != null ? " (" + d.severity() + ")" : ""),
                    "Rule: " + d.rule() + "\nReason: " + d.reason()
                            + (d.policyId() != null ? "\nPolicy: " + d.policyId() + " v" + d.policyVersion() : "")
                            + "\nDecision: " + d.decisionId()
                            + (d.breachEventId() != null ? "\nBreach: " + d.breachEventId() : "") };
        }
        throw new IllegalArgumentException("not an alert: " + data.contractType().type());
    }

    private static String window(ThresholdBreached b) {
        return b.window() != null ? ", window " + b.window() : "";
    }

    private static String values(List<Double> observed) {
        return observed.isEmpty() ? "no values"
                : observed.stream().map(MessageRenderer::number).collect(Collectors.joining(", "));
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }

    private static String orUnknown(String version) {
        return version == null ? "(unknown)" : version;
    }

    private static String trimSlash(String url) {
        return url.replaceAll("/+$", "");
    }
}
