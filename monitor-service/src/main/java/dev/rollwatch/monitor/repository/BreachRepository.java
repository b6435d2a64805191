package dev.rollwatch.monitor.repository;

import dev.rollwatch.monitor.domain.Breach;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class BreachRepository implements PanacheRepositoryBase<Breach, String> {

    public List<Breach> forDeployment(String deploymentId) {
        return list("deploymentId = ?1 order by emittedAt, checkName", deploymentId);
    }
}
