package dev.rollwatch.deploy.registry;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ServiceTargetRepository implements PanacheRepositoryBase<ServiceTarget, Long> {

    public Optional<ServiceTarget> find(String service, String environment) {
        return find("service = ?1 and environment = ?2", service, environment).firstResultOptional();
    }

    public List<ServiceTarget> ofService(String service) {
        return list("service = ?1 order by environment", service);
    }
}
