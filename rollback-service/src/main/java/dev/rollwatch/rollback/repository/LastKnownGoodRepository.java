package dev.rollwatch.rollback.repository;

import dev.rollwatch.rollback.domain.LastKnownGood;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Optional;

@ApplicationScoped
public class LastKnownGoodRepository implements PanacheRepositoryBase<LastKnownGood, LastKnownGood.Scope> {

    public Optional<LastKnownGood> find(String service, String environment) {
        return findByIdOptional(new LastKnownGood.Scope(service, environment));
    }

    /**
     * Records a SUCCEEDED deployment as the last known good version unless a later one is already recorded
     * (DeploymentFinished events of different deployments may arrive out of order).
     */
    public void recordSucceeded(String service, String environment, String version, String deploymentId,
            Instant finishedAt, String eventId) {
        getEntityManager().createNativeQuery("""
                INSERT INTO last_known_good (service, environment, version, deployment_id, finished_at, event_id)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                ON CONFLICT (service, environment) DO UPDATE
                SET version = EXCLUDED.version, deployment_id = EXCLUDED.deployment_id,
                    finished_at = EXCLUDED.finished_at, event_id = EXCLUDED.event_id
                WHERE last_known_good.finished_at <= EXCLUDED.finished_at""")
                .setParameter(1, service)
                .setParameter(2, environment)
                .setParameter(3, version)
                .setParameter(4, deploymentId)
                .setParameter(5, finishedAt)
                .setParameter(6, eventId)
                .executeUpdate();
    }

    /** Makes {@code version} the last known good again (a SUCCEEDED deployment after it was rolled back). */
    public void restore(String service, String environment, String version, String deploymentId, Instant at,
            String eventId) {
        getEntityManager().createNativeQuery("""
                INSERT INTO last_known_good (service, environment, version, deployment_id, finished_at, event_id)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                ON CONFLICT (service, environment) DO UPDATE
                SET version = EXCLUDED.version, deployment_id = EXCLUDED.deployment_id,
                    finished_at = EXCLUDED.finished_at, event_id = EXCLUDED.event_id""")
                .setParameter(1, service)
                .setParameter(2, environment)
                .setParameter(3, version)
                .setParameter(4, deploymentId)
                .setParameter(5, at)
                .setParameter(6, eventId)
                .executeUpdate();
    }
}
