package dev.rollwatch.deploy.repository;

import dev.rollwatch.deploy.domain.Deployment;
import dev.rollwatch.deploy.domain.DeploymentStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import jakarta.persistence.LockModeType;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class DeploymentRepository implements PanacheRepositoryBase<Deployment, UUID> {

    private static final EnumSet<DeploymentStatus> ACTIVE = EnumSet.of(DeploymentStatus.PENDING,
            DeploymentStatus.RUNNING, DeploymentStatus.AWAITING_APPROVAL, DeploymentStatus.PAUSED,
            DeploymentStatus.ROLLING_BACK);

    public Optional<Deployment> findActive(String service, String environment) {
        return find("service = ?1 and environment = ?2 and status in ?3", service, environment, ACTIVE)
                .firstResultOptional();
    }

    /** The deployment, row-locked until the transaction ends: every writer goes through this. */
    public Optional<Deployment> lock(UUID id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Deployments the engine has work for (forward steps or a rollback), oldest first. */
    public List<UUID> inFlight() {
        return getEntityManager().createQuery(
                "select d.id from Deployment d where d.status in ?1 order by d.createdAt", UUID.class)
                .setParameter(1, EnumSet.of(DeploymentStatus.RUNNING, DeploymentStatus.ROLLING_BACK))
                .getResultList();
    }

    /** The ids of the deployments that are ROLLING_BACK (rollbacks and step backs to drive). */
    public List<UUID> rollingBack() {
        return getEntityManager().createQuery(
                "select d.id from Deployment d where d.status = ?1 order by d.createdAt", UUID.class)
                .setParameter(1, DeploymentStatus.ROLLING_BACK).getResultList();
    }

    /** A page of deployments matching the filters (each optional), newest first, and how many match in all. */
    public Page search(String service, String environment, DeploymentStatus status, java.time.Instant from,
            java.time.Instant to, int page, int size) {
        return search(service, null, environment, status, from, to, page, size);
    }

    /** As above, limited to {@code services} unless it is null (an empty set matches nothing). */
    public Page search(String service, java.util.Set<String> services, String environment, DeploymentStatus status,
            java.time.Instant from, java.time.Instant to, int page, int size) {
        if (services != null && services.isEmpty()) {
            return new Page(List.of(), 0);
        }
        StringBuilder where = new StringBuilder("1 = 1");
        java.util.Map<String, Object> params = new java.util.HashMap<>();
        if (services != null) {
            where.append(" and service in :services");
            params.put("services", services);
        }
        if (service != null) {
            where.append(" and service = :service");
            params.put("service", service);
        }
        if (environment != null) {
            where.append(" and environment = :environment");
            params.put("environment", environment);
        }
        if (status != null) {
            where.append(" and status = :status");
            params.put("status", status);
        }
        if (from != null) {
            where.append(" and createdAt >= :from");
            params.put("from", from);
        }
        if (to != null) {
            where.append(" and createdAt < :to");
            params.put("to", to);
        }
        var query = find(where + " order by createdAt desc, id", params);
        long total = count(where.toString(), params);
        return new Page(query.page(io.quarkus.panache.common.Page.of(page, size)).list(), total);
    }

    public record Page(List<Deployment> items, long total) {
    }

    public Optional<Deployment> findByIdempotencyKey(String key) {
        return find("idempotencyKey", key).firstResultOptional();
    }

    /** The newest deployment of the same service and environment created after {@code d}, if any. */
    public Optional<Deployment> newerThan(Deployment d) {
        return find("service = ?1 and environment = ?2 and createdAt > ?3 and id <> ?4 order by createdAt desc",
                d.service, d.environment, d.createdAt, d.id).firstResultOptional();
    }

    public Optional<String> lastSucceededVersion(String service, String environment) {
        return find("service = ?1 and environment = ?2 and status = ?3 order by finishedAt desc", service,
                environment, DeploymentStatus.SUCCEEDED).firstResultOptional().map(d -> d.version);
    }
}
