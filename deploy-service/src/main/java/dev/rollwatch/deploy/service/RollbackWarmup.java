package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.domain.Deployment;
import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.domain.DeploymentStep;
import dev.rollwatch.deploy.domain.StepStatus;
import dev.rollwatch.deploy.driver.TargetDrivers;
import dev.rollwatch.deploy.repository.DeploymentRepository;
import dev.rollwatch.deploy.repository.StepRepository;
import dev.rollwatch.events.AnalysisSpec;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventType;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.events.Topics;
import dev.rollwatch.platform.messaging.Consumption;
import dev.rollwatch.platform.warmup.Warmup;
import dev.rollwatch.platform.warmup.WarmupTask;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The rollback-request path at start-up (the platform's {@link Warmup} runs it before readiness), for the golden
 * {@code RollbackRequested}: the first request after a start took 290 ms to its rollback start, the later ones 28–40
 * ms. In one transaction that is rolled back, it
 * <ol>
 *   <li>stores a tracked deployment with fresh ids, RUNNING in the analysis step after its first weight (the state a
 *       breach finds a canary in), and flushes it, so the handler reads it from the database as after a commit;</li>
 *   <li>runs the handler of {@code rollback-requested} ({@code RollbackRequestedConsumer}): {@link Consumption#once}
 *       on a record of the event (replay check, decode, inbox claim) with {@link RollbackExecutor#begin} as the
 *       effect — the row lock, the open step and a newer deployment read, the decision, the step closed ABORTED, its
 *       {@code StepCompleted} written to the outbox, the deployment ROLLING_BACK;</li>
 *   <li>runs what the rollback worker woken by that commit runs ({@link StepEngine}) up to the target call: the
 *       deployment's guard, the lease claim (in a transaction of its own, it sees no committed row and claims
 *       nothing), the next transition (the rollback call to make) and the driver's look-up. The driver is not
 *       called: no request leaves the service.</li>
 * </ol>
 * Nothing stays and nothing is seen: the rows go with the rollback, the outbox's relay sends only after a commit, the
 * engine's and the live streams' wake-ups fire only after one, and the path runs as a rehearsal
 * ({@link RollbackExecutor#begin(Envelope, boolean)}): without its log lines and its step counter. The deployment's
 * service, the event's id and its reason carry {@link #MARK}, and its service and environment are no real one's
 * (the one-active-deployment index cannot clash).
 */
@ApplicationScoped
public class RollbackWarmup implements WarmupTask {

    /** Marks what the rehearsal writes: the deployment's service, the inbox claim's event id, the step's detail. */
    static final String MARK = Warmup.ID_PREFIX;
    /** The tracked deployment's target: never called (a reserved name that resolves nowhere, RFC 2606). */
    static final String TARGET_URL = "http://rollwatch-warmup.invalid";

    private final Consumption consumption;
    private final RollbackExecutor executor;
    private final DeploymentRepository deployments;
    private final StepRepository steps;
    private final StepEngine engine;
    private final DeploymentLeases leases;
    private final StepTransitions transitions;
    private final DeploymentChanges changes;
    private final TargetDrivers drivers;
    private final Clock clock;

    public RollbackWarmup(Consumption consumption, RollbackExecutor executor, DeploymentRepository deployments,
            StepRepository steps, StepEngine engine, DeploymentLeases leases, StepTransitions transitions,
            DeploymentChanges changes, TargetDrivers drivers, Clock clock) {
        this.consumption = consumption;
        this.executor = executor;
        this.deployments = deployments;
        this.steps = steps;
        this.engine = engine;
        this.leases = leases;
        this.transitions = transitions;
        this.changes = changes;
        this.drivers = drivers;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "rollback request (rolled back)";
    }

    @Override
    public void run() {
        Envelope<RollbackRequested> request = request();
        Warmup.inRolledBackTransaction(() -> rehearse(request));
    }

    /**
     * The golden {@code RollbackRequested} with fresh ids (its subject: the deployment to track), for a service of
     * its own and marked.
     */
    static Envelope<RollbackRequested> request() {
        Envelope<RollbackRequested> golden = Warmup.goldenEvent(EventType.ROLLBACK_REQUESTED,
                RollbackRequested.class);
        RollbackRequested g = golden.data();
        RollbackRequested data = new RollbackRequested(MARK + UUID.randomUUID(), g.environment(), g.trigger(),
                MARK + "rehearsal: " + g.reason(), g.breachEventIds(), g.policyRule(), g.policyVersion(),
                g.fromVersion(), g.toVersion(), g.requestedBy(), g.detectedAt(), g.severity(), g.respondBy(),
                g.policyPack(), g.seedRule());
        return new Envelope<>(MARK + UUID.randomUUID(), golden.source(), golden.type(), golden.subject(),
                golden.time(), golden.causationId(), golden.correlationId(), golden.partitionKey(), data);
    }

    /**
     * Steps 1–3 above in the caller's transaction, which must be rolled back; returns the call the engine would make
     * next (a {@link Work.Rollback}). Throws when the path did not go where the real one goes.
     */
    Work rehearse(Envelope<RollbackRequested> request) {
        UUID id = UUID.fromString(request.subject());
        track(id, request.data());
        settle(); // as committed: the handler reads the deployment from the database

        Work[] begun = {Work.NONE};
        Consumption.Outcome outcome = consumption.once(record(request), RollbackRequested.class,
                event -> begun[0] = executor.begin(event, true));
        if (outcome != Consumption.Outcome.APPLIED || !(begun[0] instanceof Work.Rollback)) {
            throw new IllegalStateException("the rehearsed rollback request was " + outcome + ", leaving " + begun[0]);
        }
        settle(); // the consumer's commit: the worker reads the deployment afresh

        Work next = engine.tryExclusively(id, () -> {
            if (leases.claim(id)) { // not expected: the row is not committed, so no other transaction sees it
                leases.release(id);
            }
            Work work = transitions.next(id);
            changes.changed(id);
            return work;
        });
        if (!(next instanceof Work.Rollback call)) {
            throw new IllegalStateException("the rehearsed rollback worker found " + next + " to do");
        }
        drivers.forType(call.target().type()); // and stops before the target call
        return next;
    }

    /**
     * A deployment RUNNING in its analysis step after the first weight (5 %), as {@code DeploymentService#create}
     * and the engine leave it, with its history.
     */
    private void track(UUID id, RollbackRequested r) {
        Instant now = StepTransitions.now(clock);
        List<StepSpec> plan = List.of(StepSpec.setWeight(5), StepSpec.analysis(Duration.ofMinutes(2)),
                StepSpec.setWeight(100));
        Deployment d = new Deployment();
        d.id = id;
        d.service = r.service();
        d.environment = r.environment();
        d.version = r.fromVersion() != null ? r.fromVersion() : "2.4.0";
        d.previousVersion = r.toVersion() != null ? r.toVersion() : "2.3.1";
        d.targetType = "http";
        d.targetUrl = TARGET_URL;
        d.steps = DeploymentService.toJson(plan);
        d.analysis = DeploymentService.toJson(new AnalysisSpec(List.of()));
        d.requestedBy = "rollwatch-warmup";
        d.status = DeploymentStatus.PENDING;
        d.createdAt = now;
        d.updatedAt = now;
        d.moveTo(DeploymentStatus.RUNNING, null, now);
        d.currentStep = 1;
        d.currentWeight = 5;
        deployments.persist(d);
        DeploymentStep weight = DeploymentStep.start(id, 0, StepKind.SET_WEIGHT, 5, now, null);
        weight.finish(StepStatus.SUCCEEDED, "weight 5% confirmed", now);
        steps.persist(weight);
        steps.persist(DeploymentStep.start(id, 1, StepKind.ANALYSIS, null, now, now.plus(Duration.ofMinutes(2))));
    }

    /** The statements so far executed, and the session emptied: later reads go to the database. */
    private void settle() {
        deployments.flush();
        deployments.getEntityManager().clear();
    }

    /** The event as the channel hands it over (without the consumer interceptor's poll time: no timer records it). */
    private static ConsumerRecord<String, byte[]> record(Envelope<RollbackRequested> request) {
        return new ConsumerRecord<>(Topics.ROLLBACK_REQUESTED, 0, 0L, request.key(), EventCodec.encode(request));
    }
}
