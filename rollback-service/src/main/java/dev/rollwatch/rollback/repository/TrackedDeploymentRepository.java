package dev.rollwatch.rollback.repository;

import dev.rollwatch.rollback.domain.TrackedDeployment;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.Optional;

@ApplicationScoped
public class TrackedDeploymentRepository implements PanacheRepositoryBase<TrackedDeployment, String> {

    /**
     * The deployment's row, locked for the rest of the transaction; created ACTIVE from what the caller knows if it
     * does not exist yet (events of one deployment arrive on several topics, in any order).
     */
    public TrackedDeployment lockOrCreate(String deploymentId, String service, String environment, String version,
            Instant now) {
        getEntityManager().createNativeQuery("""
                INSERT INTO tracked_deployment (deployment_id, service, environment, version, state, updated_at)
                VALUES (?1, ?2, ?3, ?4, 'ACTIVE', ?5) ON CONFLICT (deployment_id) DO NOTHING""")
                .setParameter(1, deploymentId)
                .setParameter(2, service)
                .setParameter(3, environment)
                .setParameter(4, version)
                .setParameter(5, now)
                .executeUpdate();
        return findById(deploymentId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The service of a deployment, if it is known: what a caller's service scope is checked against. */
    public Optional<String> serviceOf(String deploymentId) {
        return getEntityManager().createQuery(
                "select d.service from TrackedDeployment d where d.deploymentId = ?1", String.class)
                .setParameter(1, deploymentId).getResultStream().findFirst();
    }

    /** The deployment's row, locked, if it is known. */
    public Optional<TrackedDeployment> lock(String deploymentId) {
        return Optional.ofNullable(findById(deploymentId, LockModeType.PESSIMISTIC_WRITE));
    }
}
