package dev.rollwatch.rollback.service;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventType;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.platform.warmup.Warmup;
import dev.rollwatch.platform.warmup.WarmupTask;
import dev.rollwatch.rollback.domain.BreachFacts;
import dev.rollwatch.rollback.domain.DecisionMatrix;
import dev.rollwatch.rollback.domain.Policy;
import dev.rollwatch.rollback.domain.PolicyPack;
import dev.rollwatch.rollback.domain.TrackedDeployment;
import dev.rollwatch.rollback.repository.DecisionRepository;
import dev.rollwatch.rollback.repository.PolicyRepository;
import dev.rollwatch.rollback.repository.TrackedDeploymentRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * The decision path of {@link BreachDecisions#decide} for the golden {@code ThresholdBreached}, at start-up: lock
 * or create the tracked deployment, read the effective policy, the breach history and the situation, and run the
 * pure {@link DecisionMatrix} — in a transaction that is rolled back, so no row, decision, event, meter or log line
 * is left (the platform's {@link Warmup} runs it).
 */
@ApplicationScoped
public class DecisionWarmup implements WarmupTask {

    private final TrackedDeploymentRepository deployments;
    private final PolicyRepository policies;
    private final DecisionRepository decisions;
    private final RollbackRequester requester;

    public DecisionWarmup(TrackedDeploymentRepository deployments, PolicyRepository policies,
            DecisionRepository decisions, RollbackRequester requester) {
        this.deployments = deployments;
        this.policies = policies;
        this.decisions = decisions;
        this.requester = requester;
    }

    @Override
    public String name() {
        return "breach decision (rolled back)";
    }

    @Override
    public void run() {
        Envelope<ThresholdBreached> event = Warmup.goldenEvent(EventType.THRESHOLD_BREACHED, ThresholdBreached.class);
        ThresholdBreached b = event.data();
        Warmup.inRolledBackTransaction(() -> {
            Instant now = Instant.now();
            TrackedDeployment d = deployments.lockOrCreate(event.subject(), b.service(), b.environment(),
                    b.version(), now);
            Policy policy = policies.effective(d.service, d.environment);
            DecisionMatrix.decide(BreachFacts.of(event.id(), b), requester.situation(d),
                    decisions.priorBreaches(d.deploymentId), policy.rules(),
                    PolicyPack.byRef(policy.pack).orElseGet(PolicyPack::runbook), now);
        });
    }
}
