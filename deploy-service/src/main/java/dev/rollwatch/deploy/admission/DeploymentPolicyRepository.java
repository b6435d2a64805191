package dev.rollwatch.deploy.admission;

import dev.rollwatch.deploy.domain.Deployment;
import dev.rollwatch.deploy.domain.DeploymentStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class DeploymentPolicyRepository implements PanacheRepositoryBase<DeploymentPolicy, Long> {

    /** The policy in force: the latest version of the most specific scope that matches, if any. */
    public Optional<DeploymentPolicy> effective(String service, String environment) {
        return list("service in ?1 and environment in ?2", List.of(service, DeploymentPolicy.ANY),
                List.of(environment, DeploymentPolicy.ANY)).stream()
                .max(Comparator.comparingInt(DeploymentPolicy::specificity).thenComparingInt(p -> p.version));
    }

    /** The latest version of exactly this scope. */
    public Optional<DeploymentPolicy> latest(String service, String environment) {
        return find("service = ?1 and environment = ?2 order by version desc", service, environment)
                .firstResultOptional();
    }

    /** Deployments of {@code version} of {@code service} that finished SUCCEEDED in any of {@code environments}. */
    public List<Admission.Success> successes(String service, String version, Collection<String> environments) {
        if (environments.isEmpty()) {
            return List.of();
        }
        return getEntityManager().createQuery("select d from Deployment d where d.service = ?1 and d.version = ?2 "
                + "and d.environment in ?3 and d.status = ?4", Deployment.class)
                .setParameter(1, service).setParameter(2, version).setParameter(3, environments)
                .setParameter(4, DeploymentStatus.SUCCEEDED).getResultList().stream()
                .map(d -> new Admission.Success(d.environment, d.version, d.finishedAt)).toList();
    }
}
