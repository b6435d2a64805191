package dev.rollwatch.monitor.repository;

import dev.rollwatch.monitor.domain.Watch;
import dev.rollwatch.monitor.domain.WatchStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.hibernate.jpa.HibernateHints;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class WatchRepository implements PanacheRepositoryBase<Watch, String> {

    /** The watch, locked for the rest of the transaction: samples of one deployment are judged one batch at a time. */
    public Optional<Watch> lock(String deploymentId) {
        return findByIdOptional(deploymentId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The service a deployment's watch is for, if there is a watch (object-level authorisation of the API). */
    public Optional<String> serviceOf(String deploymentId) {
        return getEntityManager().createQuery("select w.service from Watch w where w.deploymentId = ?1", String.class)
                .setParameter(1, deploymentId).getResultStream().findFirst();
    }

    /**
     * The watches of these deployments that are still evaluating, loaded read-only for a reader that changes nothing
     * (the poller's tick, every second): no snapshot kept, nothing compared with it at the commit.
     */
    public List<Watch> watching(Collection<String> deploymentIds) {
        return find("deploymentId in ?1 and status <> ?2", deploymentIds, WatchStatus.STOPPED)
                .withHint(HibernateHints.HINT_READ_ONLY, true).list();
    }

    /** Watches whose bake window is over; locked, skipping rows another instance holds. */
    public List<Watch> lockBakedBefore(Instant now, int limit) {
        return find("status = ?1 and bakeUntil <= ?2 order by bakeUntil", WatchStatus.BAKING, now)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", -2) // SKIP LOCKED
                .page(0, limit)
                .list();
    }

    /** Watches verifying a rollback whose window is over; locked, skipping rows another instance holds. */
    public List<Watch> lockVerifyingUntil(Instant now, int limit) {
        return find("status = ?1 and verifyUntil <= ?2 order by verifyUntil", WatchStatus.VERIFYING, now)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", -2) // SKIP LOCKED
                .page(0, limit)
                .list();
    }

    /** Baking watches (their checkpoints are due or not); locked, skipping rows another instance holds. */
    public List<Watch> lockBaking(int limit) {
        return find("status = ?1 order by bakeUntil", WatchStatus.BAKING)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", -2) // SKIP LOCKED
                .page(0, limit)
                .list();
    }

    /**
     * The watches still evaluating (ACTIVE, BAKING, VERIFYING) that have an availability signal: a metrics URL, or a
     * target URL when the health endpoint is probed.
     */
    public List<Watch> withSignals(boolean healthProbe) {
        return healthProbe
                ? list("status <> ?1 and (metricsUrl is not null or targetUrl is not null)", WatchStatus.STOPPED)
                : list("status <> ?1 and metricsUrl is not null", WatchStatus.STOPPED);
    }
}
