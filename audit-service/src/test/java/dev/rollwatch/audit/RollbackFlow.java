package dev.rollwatch.audit;

import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.DeploymentSummary;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.NotificationDelivered;
import dev.rollwatch.events.Operator;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepOutcome;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.events.StepStarted;
import dev.rollwatch.events.Target;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Trigger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * A full rollout-and-rollback of one deployment as the services would emit it, with real causation links and
 * fixed times (so durations are known): started → step → breach → rollback requested → notification → rollback
 * completed → finished.
 */
final class RollbackFlow {

    static final String DEPLOY = "/rollwatch/deploy-service";
    static final String MONITOR = "/rollwatch/monitor-service";
    static final String ROLLBACK = "/rollwatch/rollback-service";
    static final String NOTIFIER = "/rollwatch/notifier-service";

    final String deploymentId = UUID.randomUUID().toString();
    final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    final Instant observedAt = t0.plusMillis(1_000);

    final Envelope<DeploymentStarted> started = Envelope.of(DEPLOY, deploymentId, new DeploymentStarted("checkout",
            "production", "2.4.0", "2.3.0", new Target("http", "http://127.0.0.1:8090", null),
            List.of(StepSpec.setWeight(5), StepSpec.analysis(Duration.ofMinutes(2))), null, "alice")).at(t0);
    final Envelope<StepStarted> stepStarted = Envelope.of(DEPLOY, deploymentId,
            new StepStarted(0, StepKind.SET_WEIGHT, 5, null)).causedBy(started).at(t0.plusMillis(10));
    final Envelope<StepCompleted> stepCompleted = Envelope.of(DEPLOY, deploymentId,
            new StepCompleted(0, StepKind.SET_WEIGHT, StepOutcome.SUCCEEDED, 5, 12, null)).causedBy(stepStarted)
            .at(t0.plusMillis(22));
    final Envelope<ThresholdBreached> breach = Envelope.of(MONITOR, deploymentId, new ThresholdBreached("checkout",
            "production", "2.4.0", "error-rate", "error_rate", "rate(errors[1m])", List.of(0.0831), 0.01,
            Operator.GT, Duration.ofMinutes(1), Severity.P1, 1, 1, observedAt, null)).causedBy(started)
            .at(observedAt.plusMillis(3));
    final Envelope<RollbackRequested> requested = Envelope.of(ROLLBACK, deploymentId, new RollbackRequested(
            "checkout", "production", Trigger.AUTOMATIC, "error-rate 0.0831 > 0.01 (P1)", List.of(breach.id()),
            "p1-immediate", 3, "2.4.0", "2.3.0", "rollback-service", observedAt)).causedBy(breach)
            .at(observedAt.plusMillis(15));
    final Envelope<NotificationDelivered> notified = Envelope.of(NOTIFIER, deploymentId, new NotificationDelivered(
            "oncall-pager", "webhook", requested.id(), requested.type().type(), 1, "200",
            observedAt.plusMillis(40))).causedBy(requested).at(observedAt.plusMillis(41));
    final Envelope<RollbackCompleted> completed = Envelope.of(DEPLOY, deploymentId, new RollbackCompleted("checkout",
            "production", RollbackOutcome.SUCCEEDED, "2.3.0", 105, 120L, null)).causedBy(requested)
            .at(observedAt.plusMillis(120));
    final Envelope<DeploymentFinished> finished = Envelope.of(DEPLOY, deploymentId, new DeploymentFinished(
            DeploymentOutcome.ROLLED_BACK, new DeploymentSummary("checkout", "production", "2.4.0", "2.3.0", 2, 1,
                    100, 0, 1_200, "rolled back: error-rate"))).causedBy(completed).at(observedAt.plusMillis(125));

    /** In causal order, the order in which the audit log must hold them. */
    List<Envelope<? extends EventData>> events() {
        return List.of(started, stepStarted, stepCompleted, breach, requested, notified, completed, finished);
    }
}
