package dev.rollwatch.monitor.service;

import dev.rollwatch.platform.security.ServiceOwners;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * The services owning what the monitor API names by path (platform's {@code @ServiceScoped} endpoints): a
 * deployment's watch, whose service came from {@code DeploymentStarted}. A deployment without a watch is left to
 * the endpoint's 404 {@code watch-not-found}.
 */
@ApplicationScoped
public class ObjectOwners implements ServiceOwners {

    public static final String WATCH = "watch";

    private final AnalysisQuery query;

    public ObjectOwners(AnalysisQuery query) {
        this.query = query;
    }

    @Override
    public Optional<String> serviceOf(String kind, String id) {
        if (!WATCH.equals(kind)) {
            throw new IllegalArgumentException("monitor-service has no objects of kind " + kind);
        }
        return query.serviceOf(id);
    }
}
