package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.config.DeployConfig;
import dev.rollwatch.deploy.driver.DriverException;
import dev.rollwatch.deploy.driver.TargetDriver;
import dev.rollwatch.deploy.driver.TargetDrivers;
import dev.rollwatch.deploy.driver.TargetState;
import dev.rollwatch.deploy.repository.DeploymentRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Drives deployments. A tick looks at every RUNNING or ROLLING_BACK deployment (timed steps, and resumption after
 * a restart: all state is in the database); a committed change wakes the engine at once. One deployment is
 * driven by one thread at a time (a lock per deployment in this replica, and a lease in the database across
 * replicas), so a rollback and a forward step never call its target concurrently. Target calls and smoke checks
 * happen outside transactions; state changes in short ones.
 * <p>
 * Two pools: forward rollouts run on {@code workers}, deployments that are ROLLING_BACK on {@code rollback-workers}
 * of their own, so forward rollouts stuck on slow targets (every call is bounded, but a bound of seconds times
 * several deployments is long) never delay another deployment's rollback. No worker ever waits for a deployment
 * another thread holds (it would be lost to every other deployment for as long as the holder's call lasts): it
 * leaves a note and the holder runs the deployment again as it lets go (a forward run also does a rollback that
 * arrives meanwhile at its next round). A rollback run hands a deployment that is RUNNING again (a step back that
 * continues) to the forward pool.
 */
@ApplicationScoped
public class StepEngine {

    private static final Logger LOG = Logger.getLogger(StepEngine.class);
    /** A deployment's steps in one run; a strategy has at most 50, plus the promotion step. */
    private static final int MAX_ROUNDS = 64;

    private final DeploymentRepository deployments;
    private final StepTransitions transitions;
    private final RollbackExecutor rollbacks;
    private final TargetDrivers drivers;
    private final SmokeRunner smoke;
    private final DeployConfig config;
    private final MeterRegistry registry;
    private final DeploymentChanges changes;
    private final DeploymentLeases leases;
    /** Per deployment: a lock and how many threads use or wait for it; removed when none does. */
    private final ConcurrentHashMap<UUID, Guard> guards = new ConcurrentHashMap<>();
    private final Set<UUID> queued = ConcurrentHashMap.newKeySet();
    private final Set<UUID> queuedRollbacks = ConcurrentHashMap.newKeySet();
    /** Runs asked for while another thread held the deployment: its holder starts them as it lets go. */
    private final Set<UUID> pendingForward = ConcurrentHashMap.newKeySet();
    private final Set<UUID> pendingRollbacks = ConcurrentHashMap.newKeySet();
    private final EngineExecutors executors;

    public StepEngine(DeploymentRepository deployments, StepTransitions transitions, RollbackExecutor rollbacks,
            TargetDrivers drivers, SmokeRunner smoke, DeployConfig config, MeterRegistry registry,
            DeploymentChanges changes, DeploymentLeases leases, EngineExecutors executors) {
        this.deployments = deployments;
        this.transitions = transitions;
        this.rollbacks = rollbacks;
        this.drivers = drivers;
        this.smoke = smoke;
        this.config = config;
        this.registry = registry;
        this.changes = changes;
        this.leases = leases;
        this.executors = executors;
    }

    /** The tick, on the engine's timer ({@link EngineExecutors} stops it and the pools at shutdown). */
    void start(@Observes StartupEvent started) {
        long period = Math.max(50, config.engine().tick().toMillis());
        executors.timer().scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
    }

    void onCommittedChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) EngineWake wake) {
        if (wake.rollback()) {
            wakeRollback(wake.deploymentId());
        } else {
            wake(wake.deploymentId());
        }
    }

    private void tick() {
        try {
            Set<UUID> rollingBack = Set.copyOf(QuarkusTransaction.requiringNew().call(deployments::rollingBack));
            rollingBack.forEach(this::wakeRollback);
            QuarkusTransaction.requiringNew().call(deployments::inFlight).stream()
                    .filter(id -> !rollingBack.contains(id)).forEach(this::wake);
        } catch (RuntimeException e) {
            LOG.warnf("engine tick failed: %s", e.toString());
        }
    }

    /** Asks for a run of a ROLLING_BACK deployment on the rollback workers; a run already queued covers it. */
    public void wakeRollback(UUID id) {
        submit(executors.rollbackWorkers(), queuedRollbacks, id, true);
    }

    /** Asks for a run of this deployment on the forward workers; a run already queued covers it. */
    public void wake(UUID id) {
        submit(executors.workers(), queued, id, false);
    }

    private void submit(ExecutorService pool, Set<UUID> queue, UUID id, boolean rollback) {
        if (pool.isShutdown() || !queue.add(id)) {
            return;
        }
        try {
            pool.execute(() -> {
                queue.remove(id);
                run(id, rollback);
            });
        } catch (RejectedExecutionException e) {
            queue.remove(id); // shutting down
        }
    }

    /**
     * One run of a deployment, unless another thread of this replica holds it: then this run does not wait (a
     * waiting worker is lost to every other deployment for as long as the holder's target call lasts) but leaves a
     * note, and the holder asks for the run as it lets go ({@link #afterHolding}).
     */
    private void run(UUID id, boolean rollback) {
        Set<UUID> pending = rollback ? pendingRollbacks : pendingForward;
        if (tryExclusively(id, () -> claimAndDrive(id, rollback)) != null) {
            return;
        }
        pending.add(id);
        // The holder may have let go between the two (and seen no note): try once more.
        tryExclusively(id, () -> pending.remove(id) ? claimAndDrive(id, rollback) : Boolean.TRUE);
    }

    /** After a thread let go of a deployment: the runs asked for while it held it. */
    private void afterHolding(UUID id) {
        if (pendingRollbacks.remove(id)) {
            wakeRollback(id);
        }
        if (pendingForward.remove(id)) {
            wake(id);
        }
    }

    private Boolean claimAndDrive(UUID id, boolean rollback) {
        try {
            if (!leases.claim(id)) {
                LOG.debugf("deployment %s is driven by another replica", id);
                return Boolean.TRUE;
            }
        } catch (RuntimeException e) {
            LOG.warnf("deployment %s: lease claim failed, retrying on the next tick: %s", id, e.toString());
            return Boolean.TRUE;
        }
        try {
            drive(id, rollback);
        } finally {
            leases.release(id);
        }
        return Boolean.TRUE;
    }

    /**
     * Runs {@code action} while no engine thread of this replica drives this deployment (and none starts to).
     * Across replicas the engine's run also holds the deployment's lease ({@link DeploymentLeases}).
     */
    public <T> T exclusively(UUID id, Supplier<T> action) {
        Guard guard = guards.compute(id, (k, g) -> {
            Guard in = g == null ? new Guard() : g;
            in.users++;
            return in;
        });
        guard.lock.lock();
        try {
            return action.get();
        } finally {
            guard.lock.unlock();
            guards.compute(id, (k, g) -> --g.users == 0 ? null : g);
            afterHolding(id);
        }
    }

    /** As {@link #exclusively}, but null at once (without running {@code action}) when another thread holds it. */
    <T> T tryExclusively(UUID id, Supplier<T> action) {
        Guard guard = guards.compute(id, (k, g) -> {
            Guard in = g == null ? new Guard() : g;
            in.users++;
            return in;
        });
        if (!guard.lock.tryLock()) {
            guards.compute(id, (k, g) -> --g.users == 0 ? null : g);
            return null;
        }
        try {
            return action.get();
        } finally {
            guard.lock.unlock();
            guards.compute(id, (k, g) -> --g.users == 0 ? null : g);
            afterHolding(id);
        }
    }

    /** Whether a thread of this replica holds or waits for this deployment's lock (idle ones are not kept). */
    public boolean guarding(UUID id) {
        return guards.containsKey(id);
    }

    private static final class Guard {
        final ReentrantLock lock = new ReentrantLock();
        int users; // changed only inside ConcurrentHashMap.compute for this key
    }

    /** Runs the deployment's work; a rollback run ({@code rollbackOnly}) hands forward work to the forward pool. */
    private void drive(UUID id, boolean rollbackOnly) {
        try {
            for (int round = 0; round < MAX_ROUNDS; round++) {
                Work work = transitions.next(id);
                changes.changed(id); // committed: steps started or closed, status moved
                if (work instanceof Work.Nothing) {
                    return;
                }
                if (rollbackOnly && !(work instanceof Work.Rollback || work instanceof Work.StepBack)) {
                    wake(id); // RUNNING again (a step back that continues): the forward pool's job
                    return;
                }
                perform(id, work);
                changes.changed(id);
            }
        } catch (RuntimeException e) {
            // Leave the state as it is; the next tick retries the same step with the same webhook-id.
            LOG.errorf(e, "deployment %s: engine run failed, retrying on the next tick", id);
        }
    }

    private void perform(UUID id, Work work) {
        if (work instanceof Work.SetWeight w) {
            TargetDriver driver = drivers.forType(w.target().type());
            try {
                TargetState state = timed("traffic", () -> driver.setWeight(w.target(), w.weight(), w.messageId()));
                transitions.weightSet(id, w.stepIndex(), w.weight(), state);
            } catch (DriverException e) {
                transitions.weightFailed(id, w.stepIndex(), e.getMessage());
            }
        } else if (work instanceof Work.Smoke s) {
            transitions.smokeDone(id, s.stepIndex(), smoke.run(s.checks(), s.target().environment()));
        } else if (work instanceof Work.Finalize f) {
            TargetDriver driver = drivers.forType(f.target().type());
            try {
                TargetState state = timed("finalize", () -> driver.finalize(f.target(), f.version(), f.messageId()));
                transitions.finalized(id, state);
            } catch (DriverException e) {
                transitions.finalizeFailed(id, e.getMessage());
            }
        } else if (work instanceof Work.StepBack b) {
            TargetDriver driver = drivers.forType(b.target().type());
            try {
                timed("traffic", () -> driver.setWeight(b.target(), b.weight(), b.messageId()));
                rollbacks.steppedBack(id, b.weight());
            } catch (DriverException e) {
                rollbacks.stepBackFailed(id, e.getMessage());
            }
        } else if (work instanceof Work.Rollback r) {
            TargetDriver driver = drivers.forType(r.target().type());
            try {
                TargetState state = timed("rollback", () -> driver.rollback(r.target(), r.toVersion(),
                        r.messageId()));
                // The restored version's health probe: a rollback it fails is UNVERIFIED, not SUCCEEDED.
                TargetDriver.Health health = driver.health(r.target());
                rollbacks.rolledBack(id, "target set back to "
                        + (state.stableVersion() == null ? r.toVersion() : state.stableVersion()) + " at weight "
                        + (state.weight() == null ? 0 : state.weight()) + "; "
                        + (health.up() ? "healthy" : "health check failed: " + health.detail()), health);
            } catch (DriverException e) {
                rollbacks.rollbackFailed(id, e.getMessage());
            }
        }
    }

    private TargetState timed(String kind, Supplier<TargetState> call) {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "failed";
        try {
            TargetState state = call.get();
            outcome = "ok";
            return state;
        } finally {
            sample.stop(registry.timer("rollwatch.deploy.driver.calls", "kind", kind, "outcome", outcome));
        }
    }
}
