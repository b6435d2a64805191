package dev.rollwatch.notifier.service;

import dev.rollwatch.notifier.domain.AlertKind;
import dev.rollwatch.notifier.domain.Route;
import dev.rollwatch.notifier.repository.RouteRepository;
import dev.rollwatch.platform.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Route administration. Routes may name channels that do not exist yet: until they do, their alerts go to the
 * log channel.
 */
@ApplicationScoped
public class RouteService {

    private static final Logger LOG = Logger.getLogger(RouteService.class);

    private final RouteRepository routes;

    public RouteService(RouteRepository routes) {
        this.routes = routes;
    }

    public List<Route> list() {
        return routes.listOrdered();
    }

    public Route get(String name) {
        Route r = routes.findById(name);
        if (r == null) {
            throw ProblemException.notFound("route", name);
        }
        return r;
    }

    @Transactional
    public Route create(RouteRequest request, String by) {
        if (request.name() == null || request.name().isBlank()) {
            throw ProblemException.badRequest("validation", "name is required");
        }
        checkEventType(request.eventType());
        if (routes.findById(request.name()) != null) {
            throw ProblemException.conflict("route-exists", "route " + request.name() + " already exists");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Route r = new Route();
        r.name = request.name();
        r.createdAt = now;
        apply(r, request, now);
        routes.persist(r);
        LOG.infof("route created route=%s eventType=%s severity=%s service=%s environment=%s channels=%s by=%s",
                r.name, r.eventType, r.severity, r.service, r.environment, r.channels, by);
        return r;
    }

    @Transactional
    public Route replace(String name, RouteRequest request, String by) {
        if (request.name() != null && !request.name().equals(name)) {
            throw ProblemException.badRequest("name-mismatch", "the body names route " + request.name()
                    + " but the path names " + name);
        }
        checkEventType(request.eventType());
        Route r = get(name);
        apply(r, request, Instant.now().truncatedTo(ChronoUnit.MICROS));
        LOG.infof("route replaced route=%s channels=%s by=%s", r.name, r.channels, by);
        return r;
    }

    @Transactional
    public void delete(String name, String by) {
        routes.delete(get(name));
        LOG.infof("route deleted route=%s by=%s", name, by);
    }

    private static void apply(Route r, RouteRequest request, Instant now) {
        r.eventType = blankToNull(request.eventType());
        r.severity = request.severity() == null ? null : request.severity().name();
        r.service = blankToNull(request.service());
        r.environment = blankToNull(request.environment());
        r.channels = String.join(",", new LinkedHashSet<>(request.channels()));
        r.updatedAt = now;
    }

    private static void checkEventType(String eventType) {
        if (eventType != null && !eventType.isBlank() && AlertKind.fromSlug(eventType).isEmpty()) {
            throw ProblemException.badRequest("unknown-event-type", "eventType must be one of "
                    + Arrays.stream(AlertKind.values()).map(AlertKind::slug).toList() + ", was '" + eventType + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
