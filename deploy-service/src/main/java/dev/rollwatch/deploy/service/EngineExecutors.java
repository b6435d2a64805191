package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.config.DeployConfig;
import dev.rollwatch.platform.concurrent.DaemonThreads;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The deploy engine's threads, made and stopped in one place (docs/adr/0005-deploy-engine-locking.md). Bounded pools
 * of their own where a bound is the point: forward {@link #workers()} and {@link #rollbackWorkers()} (a rollback
 * never queues behind forward rollouts stuck in slow target calls), and the two {@link #followers()} threads of the
 * live stream (they read the database: at most two of the pool's connections). One {@link #timer()} runs the
 * periodic jobs (the engine's tick, the lease renewal, the followers' re-check): Quarkus' {@code @Scheduled} looks
 * at its triggers once a second, too coarse for a tick of 200 ms or a renewal every third of a short lease.
 */
@ApplicationScoped
public class EngineExecutors {

    private final ExecutorService workers;
    private final ExecutorService rollbackWorkers;
    private final ExecutorService followers;
    private final ScheduledExecutorService timer;

    public EngineExecutors(DeployConfig config) {
        workers = Executors.newFixedThreadPool(Math.max(1, config.engine().workers()), daemon("deploy-engine"));
        rollbackWorkers = Executors.newFixedThreadPool(Math.max(1, config.engine().rollbackWorkers()),
                daemon("deploy-engine-rollback"));
        followers = Executors.newFixedThreadPool(2, daemon("deploy-watch"));
        // Two threads: a tick waiting for a database connection never delays a lease renewal.
        timer = Executors.newScheduledThreadPool(2, daemon("deploy-engine-timer"));
    }

    /** Forward rollouts' runs; {@code rollwatch.deploy.engine.workers} threads. */
    public ExecutorService workers() {
        return workers;
    }

    /** ROLLING_BACK deployments' runs; {@code rollwatch.deploy.engine.rollback-workers} threads. */
    public ExecutorService rollbackWorkers() {
        return rollbackWorkers;
    }

    /** The live stream's re-reads of followed deployments. */
    public ExecutorService followers() {
        return followers;
    }

    /** Periodic jobs; each must be short (a tick submits runs, it does not drive deployments). */
    public ScheduledExecutorService timer() {
        return timer;
    }

    /**
     * Stops the periodic jobs at once, lets runs in progress end (10 s each pool; their leases are released as they
     * end, the rest expire), and drops followers' re-reads.
     */
    void stop(@Observes ShutdownEvent stopping) {
        timer.shutdownNow();
        for (ExecutorService pool : new ExecutorService[] {rollbackWorkers, workers}) {
            pool.shutdown();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        followers.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        return DaemonThreads.numbered(name);
    }
}
