package dev.rollwatch.notifier.repository;

import dev.rollwatch.notifier.domain.AlertKind;
import dev.rollwatch.notifier.domain.Route;
import dev.rollwatch.notifier.domain.RouteRule;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class RouteRepository implements PanacheRepositoryBase<Route, String> {

    public List<Route> listOrdered() {
        return list("order by builtin desc, name");
    }

    /** The routes in matching form; a row whose event type this build does not know matches nothing. */
    public List<RouteRule> rules() {
        return listOrdered().stream()
                .filter(r -> r.eventType == null || AlertKind.fromSlug(r.eventType).isPresent())
                .map(Route::toRule).toList();
    }
}
