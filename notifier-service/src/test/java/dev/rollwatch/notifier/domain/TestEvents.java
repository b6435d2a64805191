package dev.rollwatch.notifier.domain;

import dev.rollwatch.events.ApprovalRequested;
import dev.rollwatch.events.BakeCheckpoint;
import dev.rollwatch.events.CheckResult;
import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.DeploymentSummary;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.Operator;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackDecided;
import dev.rollwatch.events.RollbackEscalated;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.RollbackVerified;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepOutcome;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.events.Target;
import dev.rollwatch.events.Trigger;
import dev.rollwatch.events.Verdict;
import dev.rollwatch.events.ThresholdBreached;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Events as the producers would send them, for unit tests. */
final class TestEvents {

    static final String DEPLOYMENT = "5f0c9a3e-2b7d-4e61-9a8f-3c4d2e1b0a97";

    private TestEvents() {
    }

    static Envelope<ThresholdBreached> breach(Severity severity, String service, String environment) {
        return Envelope.of("/rollwatch/monitor-service", DEPLOYMENT, new ThresholdBreached(service, environment,
                "2.4.0", "error-rate", "error_rate", "rate(errors[30s])", List.of(0.0187, 0.0342), 0.01, Operator.GT,
                Duration.ofSeconds(30), severity, 2, 2, Instant.parse("2026-03-02T14:01:02.250Z"), 2));
    }

    static Envelope<RollbackCompleted> rollbackCompleted(RollbackOutcome outcome) {
        return Envelope.of("/rollwatch/deploy-service", DEPLOYMENT, new RollbackCompleted("checkout", "production",
                outcome, "2.3.0", 1200, 1450L, null));
    }

    static Envelope<DeploymentStarted> started() {
        return Envelope.of("/rollwatch/deploy-service", DEPLOYMENT, new DeploymentStarted("checkout", "production",
                "2.4.0", "2.3.0", new Target("http", "http://127.0.0.1:8090", null), List.of(), null, "alice"));
    }

    static Envelope<DeploymentFinished> finished(DeploymentOutcome outcome) {
        return Envelope.of("/rollwatch/deploy-service", DEPLOYMENT, new DeploymentFinished(outcome,
                new DeploymentSummary("checkout", "production", "2.4.0", "2.3.0", 4, 2, 100, 0, 61000,
                        "error rate 3.4% > 1%")));
    }

    static final Instant DECIDED_AT = Instant.parse("2026-03-02T14:17:00Z");

    /** The target is down: error-rate could not be measured for the 300 s outage window. */
    static Envelope<ThresholdBreached> unavailable(String phase) {
        return Envelope.of("/rollwatch/monitor-service", DEPLOYMENT, new ThresholdBreached("checkout", "production",
                "2.4.0", "error-rate", "error_rate", null, List.of(300.0), 300, Operator.GTE, null, Severity.P0, 60,
                60, Instant.parse("2026-03-02T14:06:00Z"), 2, null, null, "builtin-v2",
                ThresholdBreached.KIND_UNAVAILABLE, phase, null, null, null));
    }

    /** 001's conditional rule: error rate 1-5 % after 1 hour, operators decide within 15 min, default ROLLBACK. */
    static Envelope<RollbackDecided> conditional(Severity severity) {
        return Envelope.of("/rollwatch/rollback-service", DEPLOYMENT, new RollbackDecided("checkout", "production",
                "dec-7", RollbackDecided.CONDITIONAL, "error-rate-1-5-after-1h", "error rate 2.1% > 1% after 1 h",
                severity, "error-rate", null, null, "b-9", null, DECIDED_AT.plus(Duration.ofMinutes(15)),
                DECIDED_AT.plus(Duration.ofMinutes(15)), "operator", "ROLLBACK", "runbook@1",
                "001 conditional: error rate 1-5 % after 1 hour"));
    }

    static Envelope<RollbackDecided> decision(String action, Severity severity) {
        return Envelope.of("/rollwatch/rollback-service", DEPLOYMENT, new RollbackDecided("checkout", "production",
                "dec-8", action, "r", "why", severity, "error-rate", null, null, "b-9", null));
    }

    static Envelope<RollbackRequested> requested(Severity severity) {
        return Envelope.of("/rollwatch/rollback-service", DEPLOYMENT, new RollbackRequested("checkout",
                "production", Trigger.AUTOMATIC, "target down for 300 s", List.of("b-1"), "target-down", null,
                "2.4.0", "2.3.0", "rollback-service", Instant.parse("2026-03-02T14:06:00Z"), severity,
                Instant.parse("2026-03-02T14:11:00Z"), "runbook@1", "002 P0: application down, immediate rollback"));
    }

    static Envelope<RollbackEscalated> escalated(String rule, Severity severity) {
        return Envelope.of("/rollwatch/rollback-service", DEPLOYMENT, new RollbackEscalated("checkout", "production",
                "dec-7", "e-1", rule, severity, DECIDED_AT, DECIDED_AT.plus(Duration.ofMinutes(15)),
                DECIDED_AT.plus(Duration.ofMinutes(15)).plusSeconds(2), "2.3.0", null));
    }

    static Envelope<RollbackCompleted> rollbackCompleted(RollbackOutcome outcome, Integer toWeight, String health) {
        return Envelope.of("/rollwatch/deploy-service", DEPLOYMENT, new RollbackCompleted("checkout", "production",
                outcome, "2.3.0", 1200, 1450L, null, toWeight, health));
    }

    static final List<CheckResult> FIGURES = List.of(new CheckResult("error-rate", "error_rate", Verdict.SUCCESSFUL,
            0.002, 0.001, 0.004, 180, 0, null));

    static Envelope<RollbackVerified> verified(String outcome) {
        boolean ok = RollbackVerified.VERIFIED.equals(outcome);
        return Envelope.of("/rollwatch/monitor-service", DEPLOYMENT, new RollbackVerified("checkout", "production",
                "2.3.0", outcome, Duration.ofMinutes(30), Instant.parse("2026-03-02T14:07:00Z"),
                ok ? Instant.parse("2026-03-02T14:37:00Z") : Instant.parse("2026-03-02T14:12:00Z"),
                ok ? null : "error-rate", ok ? null : "error rate 4.2% > 1% on the restored version",
                ok ? FIGURES : List.of(new CheckResult("error-rate", "error_rate", Verdict.FAILED, 0.042, 0.03,
                        0.05, 60, 12, "4.2% > 1%"))));
    }

    static Envelope<BakeCheckpoint> checkpoint(int index, boolean last) {
        Duration after = Duration.ofMinutes(index == 1 ? 15 : index == 2 ? 30 : 60);
        return Envelope.of("/rollwatch/monitor-service", DEPLOYMENT, new BakeCheckpoint("checkout", "production",
                "2.4.0", after, index, 3, Duration.ofHours(1), Instant.parse("2026-03-02T14:00:00Z"),
                Verdict.SUCCESSFUL, last, FIGURES));
    }

    static Envelope<ApprovalRequested> approval() {
        return Envelope.of("/rollwatch/deploy-service", DEPLOYMENT, new ApprovalRequested("checkout", "production",
                "2.4.0", 3, "go/no-go gate after the canary", "operator", Instant.parse("2026-03-02T14:20:00Z")));
    }

    static Envelope<StepCompleted> step(StepKind kind, StepOutcome outcome, Integer weight) {
        return Envelope.of("/rollwatch/deploy-service", DEPLOYMENT, new StepCompleted(4, kind, outcome, weight, 850,
                null));
    }

    static final DeploymentContext CONTEXT = new DeploymentContext("checkout", "production", "2.4.0", "2.3.0", 9);

    static Envelope<DeploymentStarted> startedWithSteps() {
        return Envelope.of("/rollwatch/deploy-service", DEPLOYMENT, new DeploymentStarted("checkout", "production",
                "2.4.0", "2.3.0", new Target("http", "http://127.0.0.1:8090", null),
                List.of(StepSpec.setWeight(5), StepSpec.setWeight(25)), null, "alice"));
    }
}
