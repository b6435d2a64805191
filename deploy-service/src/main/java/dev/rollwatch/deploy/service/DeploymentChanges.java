package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.config.DeployConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Tells whoever follows a deployment (the live event stream) that it may have changed: at once after this
 * replica committed a change to it (the engine's transitions, the API, the consumers), and every
 * {@code rollwatch.deploy.events.recheck} for every followed deployment, so changes made by another replica are
 * seen too. A listener is called on the notifying thread and must return at once: it hands its work (a database
 * read) to {@link #run}, the two follower threads of {@link EngineExecutors}.
 */
@ApplicationScoped
public class DeploymentChanges {

    private static final Logger LOG = Logger.getLogger(DeploymentChanges.class);

    private final ConcurrentHashMap<UUID, Set<Runnable>> listeners = new ConcurrentHashMap<>();
    private final DeployConfig config;
    private final EngineExecutors executors;

    public DeploymentChanges(DeployConfig config, EngineExecutors executors) {
        this.config = config;
        this.executors = executors;
    }

    void start(@Observes StartupEvent started) {
        long period = Math.max(100, config.events().recheck().toMillis());
        executors.timer().scheduleWithFixedDelay(this::recheckAll, period, period, TimeUnit.MILLISECONDS);
    }

    void onCommittedChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) EngineWake wake) {
        changed(wake.deploymentId());
    }

    /** Follows a deployment until the returned handle is closed; {@code listener} must not block. */
    public AutoCloseable follow(UUID id, Runnable listener) {
        listeners.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(listener);
        return () -> listeners.computeIfPresent(id, (k, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    /** This replica committed a change to the deployment: its followers re-read it. */
    public void changed(UUID id) {
        Set<Runnable> set = listeners.get(id);
        if (set != null) {
            set.forEach(Runnable::run);
        }
    }

    /** Runs a follower's work (a re-read of its deployment) on the follower threads. */
    public void run(Runnable work) {
        try {
            executors.followers().execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.warnf("deployment follower failed: %s", e.toString());
                }
            });
        } catch (RejectedExecutionException stopping) {
            // shutting down
        }
    }

    /** How many deployments are followed right now. */
    public int followed() {
        return listeners.size();
    }

    private void recheckAll() {
        listeners.values().forEach(set -> set.forEach(Runnable::run));
    }
}
