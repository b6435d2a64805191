package dev.rollwatch.notifier.domain;

import dev.rollwatch.events.ApprovalRequested;
import dev.rollwatch.events.BakeCheckpoint;
import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.DeploymentSummary;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackDecided;
import dev.rollwatch.events.RollbackEscalated;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.RollbackVerified;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.ThresholdBreached;

import java.time.Duration;
import java.time.Instant;

import static dev.rollwatch.notifier.domain.MessageText.checks;
import static dev.rollwatch.notifier.domain.MessageText.clock;
import static dev.rollwatch.notifier.domain.MessageText.duration;
import static dev.rollwatch.notifier.domain.MessageText.line;
import static dev.rollwatch.notifier.domain.MessageText.metOrNot;
import static dev.rollwatch.notifier.domain.MessageText.number;
import static dev.rollwatch.notifier.domain.MessageText.orUnknown;
import static dev.rollwatch.notifier.domain.MessageText.pack;
import static dev.rollwatch.notifier.domain.MessageText.plus;
import static dev.rollwatch.notifier.domain.MessageText.respond;
import static dev.rollwatch.notifier.domain.MessageText.signed;
import static dev.rollwatch.notifier.domain.MessageText.target;
import static dev.rollwatch.notifier.domain.MessageText.values;
import static dev.rollwatch.notifier.domain.MessageText.window;

/**
 * Renders an event as the message people read. Pure: the same event, deployment context and base URLs give the same
 * text. Every message that asks a person to act says who, by when (the response target of runbook 002/004: "respond
 * within 15 min (P1), by 14:32 UTC") and how (the CLI command and the endpoint). Times, durations, numbers and
 * response targets are said the same way in every message ({@link MessageText}).
 */
public final class MessageRenderer {

    /** Runbook 001's target for a whole deployment ("total duration &lt; 60 min"), shown on the final summary. */
    static final Duration DURATION_TARGET = Duration.ofMinutes(60);

    private final String deploymentBaseUrl;
    private final String auditBaseUrl;
    private final String rollbackBaseUrl;

    public MessageRenderer(String deploymentBaseUrl, String auditBaseUrl) {
        this(deploymentBaseUrl, auditBaseUrl, "http://127.0.0.1:8083");
    }

    public MessageRenderer(String deploymentBaseUrl, String auditBaseUrl, String rollbackBaseUrl) {
        this.deploymentBaseUrl = trimSlash(deploymentBaseUrl);
        this.auditBaseUrl = trimSlash(auditBaseUrl);
        this.rollbackBaseUrl = trimSlash(rollbackBaseUrl);
    }

    public Notification render(Envelope<? extends EventData> event, String deploymentId) {
        return render(event, deploymentId, null);
    }

    /** {@code context} is what the deployment's DeploymentStarted said (null if unknown); only steps need it. */
    public Notification render(Envelope<? extends EventData> event, String deploymentId, DeploymentContext context) {
        String deploymentUrl = deploymentBaseUrl + "/api/v1/deployments/" + deploymentId;
        String timelineUrl = auditBaseUrl + "/api/v1/audit/deployments/" + deploymentId + "/timeline";
        String[] titleAndBody = body(event, deploymentId, deploymentUrl, context);
        String text = titleAndBody[0] + "\n" + titleAndBody[1] + "\nDeployment: " + deploymentUrl
                + "\nAudit timeline: " + timelineUrl;
        return new Notification(titleAndBody[0], text, deploymentUrl, timelineUrl);
    }

    private String[] body(Envelope<? extends EventData> event, String deploymentId, String deploymentUrl,
            DeploymentContext context) {
        EventData data = event.data();
        if (data instanceof ThresholdBreached b) {
            return breach(b);
        }
        if (data instanceof RollbackRequested r) {
            return new String[] {
                    (r.severity() != null ? "[" + r.severity() + "] " : "") + "Rollback requested: " + r.service()
                            + " " + r.environment() + " " + orUnknown(r.fromVersion()) + " -> "
                            + orUnknown(r.toVersion()),
                    "Trigger: " + r.trigger() + (r.policyRule() != null ? ", rule " + r.policyRule() : "")
                            + ", requested by " + r.requestedBy() + "\nReason: " + r.reason()
                            + (r.breachEventIds().isEmpty() ? "" : "\nBreaches: " + String.join(", ",
                            r.breachEventIds()))
                            + line(pack(r.policyPack(), r.seedRule()))
                            + line(respond("Roll back", r.severity(), r.respondBy())) };
        }
        if (data instanceof RollbackCompleted c) {
            return rollbackCompleted(c, event.time());
        }
        if (data instanceof RollbackVerified v) {
            return verified(v);
        }
        if (data instanceof BakeCheckpoint b) {
            return checkpoint(b);
        }
        if (data instanceof ApprovalRequested a) {
            return approval(a, deploymentId, deploymentUrl);
        }
        if (data instanceof StepCompleted s) {
            return phaseReached(s, deploymentId, context);
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
            Duration took = Duration.ofMillis(s.durationMs());
            return new String[] {
                    "Deployment " + f.outcome() + ": " + s.service() + " " + s.environment() + " " + s.version(),
                    "Active version " + orUnknown(s.activeVersion()) + ", " + s.stepsCompleted() + "/"
                            + s.stepsPlanned() + " step(s), weight " + s.finalWeight() + "/" + s.targetWeight()
                            + "%, " + s.durationMs() + " ms" + (s.reason() != null ? "\nReason: " + s.reason() : "")
                            + "\nSummary: steps " + s.stepsCompleted() + " of " + s.stepsPlanned()
                            + " (target all: " + metOrNot(s.stepsCompleted() >= s.stepsPlanned())
                            + "), weight " + s.finalWeight() + " % of " + s.targetWeight() + " % (target: "
                            + metOrNot(s.finalWeight() >= s.targetWeight()) + "), total duration "
                            + duration(took) + " (target < " + duration(DURATION_TARGET) + ": "
                            + metOrNot(took.compareTo(DURATION_TARGET) < 0) + ")"
                            + "\nReport (every figure, target vs actual): " + deploymentUrl + "/report" };
        }
        if (data instanceof RollbackEscalated e) {
            if (RollbackEscalated.RULE_UNANSWERED.equals(e.rule())) {
                return new String[] {
                        "[" + e.severity() + "] Decision unanswered: " + e.service() + " " + e.environment(),
                        "Rule: " + e.rule() + "\nNobody acted on or acknowledged decision " + e.decisionId()
                                + " within its response target" + target(e.severity()) + ": due "
                                + clock(e.deadline()) + ", escalated at " + clock(e.escalatedAt())
                                + (e.detail() != null ? "\nDetail: " + e.detail() : "")
                                + line(respond("Respond", e.severity(), plus(e.escalatedAt(), e.severity())))
                                + "\nAcknowledge: rollwatch ack " + e.decisionId() + " (POST " + rollbackBaseUrl
                                + "/api/v1/decisions/" + e.decisionId() + "/acknowledge)"
                                + "\nDecision: " + e.decisionId() };
            }
            return new String[] {
                    "[" + e.severity() + "] Rollback escalated: " + e.service() + " " + e.environment() + " -> "
                            + orUnknown(e.toVersion()),
                    "Rule: " + e.rule() + "\nRequested at " + e.requestedAt() + ", deadline " + e.deadline()
                            + ", escalated at " + e.escalatedAt() + "\nDecision: " + e.decisionId()
                            + (e.detail() != null ? "\nDetail: " + e.detail() : "")
                            + (RollbackEscalated.RULE_UNVERIFIED.equals(e.rule())
                            ? "\nThe restored version is not healthy: the incident is still on" : "")
                            + line(respond("Respond", e.severity(), plus(e.escalatedAt(), e.severity()))) };
        }
        if (data instanceof RollbackDecided d) {
            if (RollbackDecided.CONDITIONAL.equals(d.action())) {
                return conditional(d);
            }
            return new String[] {
                    "Rollback decision " + d.action() + ": " + d.service() + " " + d.environment()
                            + (d.check() != null ? ", check " + d.check() : "")
                            + (d.severity() != null ? " (" + d.severity() + ")" : ""),
                    "Rule: " + d.rule() + "\nReason: " + d.reason()
                            + (d.policyId() != null ? "\nPolicy: " + d.policyId() + " v" + d.policyVersion() : "")
                            + "\nDecision: " + d.decisionId()
                            + (d.breachEventId() != null ? "\nBreach: " + d.breachEventId() : "")
                            + (d.relatedDecisionId() != null ? "\nRelated decision: " + d.relatedDecisionId() : "")
                            + line(pack(d.policyPack(), d.seedRule()))
                            + (d.respondBy() != null ? line(respond("Respond", d.severity(), d.respondBy())) : "") };
        }
        throw new IllegalArgumentException("not an alert: " + data.contractType().type());
    }

    private static String[] breach(ThresholdBreached b) {
        String where = "[" + b.severity() + "] " + b.service() + " " + b.environment() + " " + orUnknown(b.version());
        String phase = switch (b.phaseOrDefault()) {
            case ThresholdBreached.PHASE_BAKE -> " (bake window, after SUCCEEDED)";
            case ThresholdBreached.PHASE_VERIFICATION -> " (restored version, after a rollback)";
            default -> "";
        };
        String title;
        String rule;
        if (ThresholdBreached.KIND_UNAVAILABLE.equals(b.kindOrDefault())) {
            title = where + ": DOWN, check " + b.check() + " could not measure for the outage window" + phase;
            rule = "Rule: target unavailable: no measurement of " + b.metric() + " for " + number(b.threshold())
                    + " s (the outage window)\nUnmeasurable for: " + values(b.observed()) + " s, "
                    + b.failures() + " failed measurement(s), at " + b.observedAt();
        } else {
            title = where + ": " + (ThresholdBreached.KIND_CRITERIA.equals(b.kindOrDefault())
                    ? "step criterion " + b.check() + " failed" : "check " + b.check() + " breached") + phase;
            rule = "Rule: " + b.metric() + " " + b.operator().symbol() + " " + number(b.threshold())
                    + " (failure limit " + b.failureLimit() + window(b) + ")"
                    + "\nMeasured: " + values(b.observed()) + ", " + b.failures() + " failure(s), at "
                    + b.observedAt();
        }
        return new String[] {title, rule
                + (b.trendPerHour() != null ? "\nTrend: " + signed(b.trendPerHour()) + " per hour" : "")
                + (b.query() != null ? "\nQuery: " + b.query() : "")
                // Only a P0 breach carries its response target itself: a P1/P2 breach is followed by the decision
                // that carries its respondBy (and the existing message formats stay as receivers know them).
                + (b.severity() == Severity.P0 ? line(respond("Respond", b.severity(),
                plus(b.observedAt(), b.severity()))) : "")};
    }

    private String[] conditional(RollbackDecided d) {
        String id = d.decisionId();
        return new String[] {
                "[" + AlertFacts.urgency(d.action(), d.severity()) + "] Decision needed by " + clock(d.decideBy())
                        + ": roll back " + d.service() + " " + d.environment() + "?"
                        + (d.check() != null ? " (check " + d.check() + ")" : ""),
                "Who decides: " + orUnknown(d.deciders())
                        + "\nDecide by: " + clock(d.decideBy()) + " (" + d.decideBy() + ")"
                        + "\nIf nobody decides by then: " + d.defaultAction() + " happens automatically"
                        + line(respond("Respond", d.severity(), d.respondBy()))
                        + "\nWhy: " + d.reason()
                        + "\nRule: " + d.rule() + (d.severity() != null ? " (" + d.severity() + ")" : "")
                        + line(pack(d.policyPack(), d.seedRule()))
                        + "\nDecide: rollwatch decide " + id + " rollback --reason \"...\"  or  rollwatch decide " + id
                        + " hold --reason \"...\" (POST " + rollbackBaseUrl + "/api/v1/decisions/" + id
                        + "/resolve {\"action\": \"ROLLBACK\" | \"HOLD\", \"reason\": \"...\"})"
                        + "\nAcknowledge (looking into it): rollwatch ack " + id + " (POST " + rollbackBaseUrl
                        + "/api/v1/decisions/" + id + "/acknowledge)"
                        + "\nDecision: " + id
                        + (d.breachEventId() != null ? "\nBreach: " + d.breachEventId() : "") };
    }

    private static String[] rollbackCompleted(RollbackCompleted c, Instant at) {
        String took = "Rollback took " + c.durationMs() + " ms"
                + (c.detectionToRollbackMs() != null ? ", detection to rollback " + c.detectionToRollbackMs() + " ms"
                : "");
        String detail = (c.detail() != null ? "\nDetail: " + c.detail() : "")
                + (c.health() != null ? "\nHealth: " + c.health() : "");
        if (c.outcome() == RollbackOutcome.UNVERIFIED) {
            return new String[] {
                    "[P0] Rollback UNVERIFIED: " + c.service() + " " + c.environment() + " -> "
                            + orUnknown(c.toVersion()) + " is not healthy",
                    took + detail + "\nThe restored version's health probe failed: the incident is still on"
                            + line(respond("Respond", Severity.P0, plus(at, Severity.P0))) };
        }
        if (c.outcome() == RollbackOutcome.STEPPED_BACK) {
            return new String[] {
                    "Rollback STEPPED_BACK: " + c.service() + " " + c.environment() + " back to "
                            + (c.toWeight() != null ? c.toWeight() + " %" : "the previous phase"),
                    "The failed phase stepped back to the previous phase's weight"
                            + (c.toWeight() != null ? " (" + c.toWeight() + " %)" : "") + "; " + took + detail };
        }
        return new String[] {
                "Rollback " + c.outcome() + ": " + c.service() + " " + c.environment() + " -> "
                        + orUnknown(c.toVersion()),
                took + detail };
    }

    private static String[] verified(RollbackVerified v) {
        String watched = "Watched " + orUnknown(v.version()) + (v.window() != null ? " for " + duration(v.window())
                : "") + (v.watchedFrom() != null ? " from " + clock(v.watchedFrom()) : "") + ", decided at "
                + clock(v.decidedAt());
        if (RollbackVerified.UNVERIFIED.equals(v.outcome())) {
            return new String[] {
                    "[P0] Rollback UNVERIFIED: " + v.service() + " " + v.environment() + " "
                            + orUnknown(v.version()) + " is not healthy after the rollback",
                    (v.check() != null ? "Check: " + v.check() + "\n" : "")
                            + (v.detail() != null ? "Detail: " + v.detail() + "\n" : "") + watched
                            + checks(v.checks())
                            + "\nThe incident is still on (the rollback service escalates it at P0)"
                            + line(respond("Respond", Severity.P0, plus(v.decidedAt(), Severity.P0))) };
        }
        return new String[] {
                "Rollback verified: " + v.service() + " " + v.environment() + " " + orUnknown(v.version())
                        + " healthy" + (v.window() != null ? " for " + duration(v.window()) : ""),
                watched + checks(v.checks()) };
    }

    private static String[] checkpoint(BakeCheckpoint b) {
        return new String[] {
                "Bake checkpoint " + b.index() + "/" + b.of() + " (" + duration(b.after()) + "): " + b.service() + " "
                        + b.environment() + " " + b.version() + " " + b.verdict(),
                "Bake window " + (b.bakeWindow() != null ? duration(b.bakeWindow()) : "(unknown)")
                        + (b.succeededAt() != null ? " since SUCCEEDED at " + clock(b.succeededAt()) : "")
                        + ", verdict so far " + b.verdict()
                        + checks(b.checks())
                        + (b.last() ? "\nLast checkpoint: the bake window is over, the watch ends" : "") };
    }

    private String[] approval(ApprovalRequested a, String deploymentId, String deploymentUrl) {
        return new String[] {
                "Gate waiting: " + a.service() + " " + a.environment() + " " + a.version() + " waits for "
                        + a.approvers() + " (step " + (a.stepIndex() + 1) + ")",
                "Why: " + a.reason()
                        + "\nWho can decide: " + a.approvers()
                        + "\nWaiting since: " + clock(a.waitingSince()) + " (" + a.waitingSince() + ")"
                        + "\nGo: rollwatch approve " + deploymentId + " --reason \"...\" (POST " + deploymentUrl
                        + "/approve)"
                        + "\nNo-go: rollwatch abort " + deploymentId + " --reason \"...\" (POST " + deploymentUrl
                        + "/abort)"
                        + "\nSkip the remaining steps: rollwatch promote " + deploymentId + " (POST "
                        + deploymentUrl + "/promote)" };
    }

    private static String[] phaseReached(StepCompleted s, String deploymentId, DeploymentContext c) {
        String what = c != null ? c.service() + " " + c.environment() + " " + orUnknown(c.version())
                : "deployment " + deploymentId;
        int weight = s.weight() == null ? 0 : s.weight();
        return new String[] {
                "Phase reached: " + what + " at " + weight + " %",
                "Step " + (s.stepIndex() + 1) + (c != null && c.stepsPlanned() > 0 ? " of " + c.stepsPlanned() : "")
                        + " (set weight) completed in " + s.durationMs() + " ms"
                        + (c != null && c.previousVersion() != null ? "\n" + c.version() + " takes " + weight
                        + " % of the traffic, " + c.previousVersion() + " " + (100 - weight) + " %" : "")
                        + (s.detail() != null ? "\nDetail: " + s.detail() : "") };
    }

    private static String trimSlash(String url) {
        return url.replaceAll("/+$", "");
    }
}
