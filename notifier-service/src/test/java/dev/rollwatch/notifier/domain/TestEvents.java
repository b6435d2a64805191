package dev.rollwatch.notifier.domain;

import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.DeploymentSummary;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.Operator;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.Target;
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
}
