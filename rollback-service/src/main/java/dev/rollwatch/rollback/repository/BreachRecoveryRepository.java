package dev.rollwatch.rollback.repository;

import dev.rollwatch.rollback.domain.BreachRecovery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

@ApplicationScoped
public class BreachRecoveryRepository implements PanacheRepositoryBase<BreachRecovery, String> {

    /** The recovery of the episode opened by this breach, if the monitor announced one. */
    public Optional<BreachRecovery> ofBreach(String breachEventId) {
        return breachEventId == null ? Optional.empty() : findByIdOptional(breachEventId);
    }
}
