package dev.rollwatch.monitor.repository;

import dev.rollwatch.monitor.domain.CheckState;
import dev.rollwatch.monitor.domain.WatchStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;

@ApplicationScoped
public class CheckStateRepository implements PanacheRepositoryBase<CheckState, Long> {

    public List<CheckState> forDeployment(String deploymentId) {
        return list("deploymentId = ?1 order by position", deploymentId);
    }

    /** The checks of still-watching deployments that name one of {@code providers}. */
    public List<CheckState> ofWatchingDeployments(Collection<String> providers) {
        return list("provider in ?1 and deploymentId in (select w.deploymentId from Watch w where w.status <> ?2) "
                + "order by deploymentId, position", providers, WatchStatus.STOPPED);
    }
}
