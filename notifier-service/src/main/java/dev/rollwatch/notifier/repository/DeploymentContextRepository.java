package dev.rollwatch.notifier.repository;

import dev.rollwatch.notifier.domain.DeploymentContext;
import dev.rollwatch.notifier.domain.DeploymentRef;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Optional;

/** What each deployment's DeploymentStarted said, for its step events (which carry only the step). */
@ApplicationScoped
public class DeploymentContextRepository implements PanacheRepositoryBase<DeploymentRef, String> {

    /** Remembers a deployment once (its DeploymentStarted may be delivered again: the first one stays). */
    public void remember(String deploymentId, DeploymentContext context, Instant now) {
        getEntityManager().createNativeQuery("INSERT INTO deployment_context (deployment_id, service, environment, "
                        + "version, previous_version, steps_planned, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                        + "ON CONFLICT (deployment_id) DO NOTHING")
                .setParameter(1, deploymentId).setParameter(2, context.service())
                .setParameter(3, context.environment()).setParameter(4, context.version())
                .setParameter(5, context.previousVersion()).setParameter(6, context.stepsPlanned())
                .setParameter(7, now).executeUpdate();
    }

    /** Reads the committed row each time (a native query, not the session's cache): another consumer may add it. */
    public Optional<DeploymentContext> lookup(String deploymentId) {
        @SuppressWarnings("unchecked")
        java.util.List<Object[]> rows = getEntityManager().createNativeQuery("SELECT service, environment, version, "
                        + "previous_version, steps_planned FROM deployment_context WHERE deployment_id = ?1")
                .setParameter(1, deploymentId).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = rows.get(0);
        return Optional.of(new DeploymentContext((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                ((Number) r[4]).intValue()));
    }
}
