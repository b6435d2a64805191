package dev.rollwatch.monitor.repository;

import dev.rollwatch.monitor.domain.CheckState;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class CheckStateRepository implements PanacheRepositoryBase<CheckState, Long> {

    public List<CheckState> forDeployment(String deploymentId) {
        return list("deploymentId = ?1 order by position", deploymentId);
    }
}
