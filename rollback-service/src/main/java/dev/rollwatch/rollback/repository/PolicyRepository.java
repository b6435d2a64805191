package dev.rollwatch.rollback.repository;

import dev.rollwatch.rollback.domain.Policy;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class PolicyRepository implements PanacheRepositoryBase<Policy, Long> {

    /**
     * The policy in force for a service and environment: the latest version of the most specific scope that
     * exists ((service, environment), then (service, *), then (*, environment), then the global default).
     */
    public Policy effective(String service, String environment) {
        List<Policy> candidates = list("service in ?1 and environment in ?2",
                Sort.descending("version"), List.of(service, Policy.ANY), List.of(environment, Policy.ANY));
        return candidates.stream()
                .max(Comparator.comparingInt(Policy::specificity).thenComparingInt(p -> p.version))
                .orElseThrow(() -> new IllegalStateException("no global default policy: is the migration applied?"));
    }

    /** The latest version of exactly this scope, if the scope has a policy of its own. */
    public Optional<Policy> current(String service, String environment) {
        return find("service = ?1 and environment = ?2", Sort.descending("version"), service, environment)
                .firstResultOptional();
    }

    /** Every version of exactly this scope, newest first. */
    public List<Policy> history(String service, String environment) {
        return list("service = ?1 and environment = ?2", Sort.descending("version"), service, environment);
    }

    /** The latest version of every scope. */
    public List<Policy> allCurrent() {
        Map<String, Policy> latest = new LinkedHashMap<>();
        for (Policy p : listAll(Sort.ascending("service", "environment").and("version", Sort.Direction.Descending))) {
            latest.putIfAbsent(p.service + "\u0000" + p.environment, p);
        }
        return List.copyOf(latest.values());
    }
}
