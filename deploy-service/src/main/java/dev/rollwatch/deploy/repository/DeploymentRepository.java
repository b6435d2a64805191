package dev.rollwatch.deploy.repository;

import dev.rollwatch.deploy.domain.Deployment;
import dev.rollwatch.deploy.domain.DeploymentStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumSet;
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

    public Optional<Deployment> findByIdempotencyKey(String key) {
        return find("idempotencyKey", key).firstResultOptional();
    }

    /** The version running before this deployment: the last one that finished SUCCEEDED. */
    public Optional<String> lastSucceededVersion(String service, String environment) {
        return find("service = ?1 and environment = ?2 and status = ?3 order by finishedAt desc", service,
                environment, DeploymentStatus.SUCCEEDED).firstResultOptional().map(d -> d.version);
    }
}
