package dev.rollwatch.deploy.service;

import dev.rollwatch.platform.security.ServiceOwners;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;

/**
 * The services owning what the deploy API names by path (platform's {@code @ServiceScoped} endpoints): deployments.
 * An id that is not a UUID, or of no deployment, is left to the endpoint's 404.
 */
@ApplicationScoped
public class ObjectOwners implements ServiceOwners {

    public static final String DEPLOYMENT = "deployment";

    private final DeploymentQueries queries;

    public ObjectOwners(DeploymentQueries queries) {
        this.queries = queries;
    }

    @Override
    public Optional<String> serviceOf(String kind, String id) {
        if (!DEPLOYMENT.equals(kind)) {
            throw new IllegalArgumentException("deploy-service has no objects of kind " + kind);
        }
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return queries.serviceOf(uuid);
    }
}
