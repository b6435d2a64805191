package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.config.DeployConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Leases that make one replica at a time drive a deployment when several deploy-service instances share the
 * database. A lease is two columns of the deployment row ({@code lease_owner}, {@code lease_until}), claimed with a
 * conditional UPDATE in a short transaction of its own (free, expired, or already ours), renewed every third of its
 * duration while held (a target call in flight keeps it), released after the run. The database clock decides
 * expiry, so replicas' clocks do not matter. No transaction stays open across a target call.
 */
@ApplicationScoped
public class DeploymentLeases {

    private static final Logger LOG = Logger.getLogger(DeploymentLeases.class);

    private final EntityManager em;
    private final String owner;
    private final Duration duration;
    private final Set<UUID> held = ConcurrentHashMap.newKeySet();
    private final EngineExecutors executors;

    @Inject
    public DeploymentLeases(EntityManager em, DeployConfig config,
            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8081") int port, EngineExecutors executors) {
        this(em, config.engine().instanceId().orElseGet(() -> defaultInstanceId(port)), config.engine().lease(),
                executors);
    }

    /** A claimer with a given identity that renews nothing by itself (tests play a second replica with one). */
    public DeploymentLeases(EntityManager em, String owner, Duration duration) {
        this(em, owner, duration, null);
    }

    private DeploymentLeases(EntityManager em, String owner, Duration duration, EngineExecutors executors) {
        this.em = em;
        this.owner = owner;
        this.duration = duration;
        this.executors = executors;
    }

    /** Renews held leases every third of their duration on the engine's timer (stopped at shutdown). */
    void start(@Observes StartupEvent started) {
        long period = Math.max(50, duration.toMillis() / 3);
        executors.timer().scheduleWithFixedDelay(this::renewHeld, period, period, TimeUnit.MILLISECONDS);
        LOG.infof("engine leases as %s, %s long", owner, duration);
    }

    public String owner() {
        return owner;
    }

    /**
     * {@code host:port}: unique among live replicas (two processes cannot listen on one port of one host), and the
     * same after a restart in place, so a restarted replica resumes its own deployments at once instead of waiting
     * for its dead predecessor's leases to expire. Random when the port is not fixed.
     */
    static String defaultInstanceId(int port) {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "deploy-service";
            }
        }
        return host + ":" + (port > 0 ? String.valueOf(port) : UUID.randomUUID().toString());
    }

    /** Claims (or extends) the lease on a deployment; false when another replica holds an unexpired one. */
    public boolean claim(UUID id) {
        int updated = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                UPDATE deployment SET lease_owner = ?1,
                       lease_until = clock_timestamp() + ?2 * interval '1 millisecond'
                WHERE id = ?3 AND (lease_owner IS NULL OR lease_owner = ?1 OR lease_until < clock_timestamp())""")
                .setParameter(1, owner).setParameter(2, duration.toMillis()).setParameter(3, id).executeUpdate());
        if (updated == 1) {
            held.add(id);
            return true;
        }
        return false;
    }

    /** Gives the lease up (only if it is still ours). */
    public void release(UUID id) {
        held.remove(id);
        try {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                    UPDATE deployment SET lease_owner = NULL, lease_until = NULL
                    WHERE id = ?1 AND lease_owner = ?2""").setParameter(1, id).setParameter(2, owner)
                    .executeUpdate());
        } catch (RuntimeException e) {
            LOG.warnf("deployment %s: lease release failed (it expires by itself): %s", id, e.toString());
        }
    }

    /** Extends every lease held (a run in progress, a target call in flight); drops the ones lost meanwhile. */
    void renewHeld() {
        if (held.isEmpty()) {
            return;
        }
        int lost = 0;
        for (UUID id : List.copyOf(held)) {
            try {
                int renewed = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                        UPDATE deployment SET lease_until = clock_timestamp() + ?1 * interval '1 millisecond'
                        WHERE id = ?2 AND lease_owner = ?3""").setParameter(1, duration.toMillis())
                        .setParameter(2, id).setParameter(3, owner).executeUpdate());
                if (renewed == 0 && held.contains(id)) { // not released meanwhile: really lost
                    lost++;
                }
            } catch (RuntimeException e) {
                LOG.warnf("deployment %s: engine lease renewal failed, retrying: %s", id, e.toString());
            }
        }
        if (lost > 0) {
            LOG.warnf("%d engine lease(s) lost before renewal (expired and taken over by another replica)", lost);
        }
    }
}
