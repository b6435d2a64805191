package dev.rollwatch.rollback.service;

import dev.rollwatch.platform.security.ServiceOwners;
import dev.rollwatch.platform.security.ServiceScoped;
import dev.rollwatch.rollback.repository.DecisionRepository;
import dev.rollwatch.rollback.repository.TrackedDeploymentRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Optional;
import java.util.UUID;

/**
 * The services owning what the rollback API names by path (platform's {@code @ServiceScoped} endpoints): deployments
 * as this service knows them, decisions, service names, and policy scopes, whose {@code *} belongs to no one service
 * (anyone who may read policies may read it; changing it is {@link ServiceScoped#SERVICE}, which needs a token for
 * every service).
 */
@ApplicationScoped
public class ObjectOwners implements ServiceOwners {

    public static final String DEPLOYMENT = "deployment";
    public static final String DECISION = "decision";
    public static final String POLICY_SCOPE = "policy-scope";

    static final String ANY = "*";

    private final TrackedDeploymentRepository deployments;
    private final DecisionRepository decisions;

    public ObjectOwners(TrackedDeploymentRepository deployments, DecisionRepository decisions) {
        this.deployments = deployments;
        this.decisions = decisions;
    }

    @Override
    @Transactional
    public Optional<String> serviceOf(String kind, String id) {
        return switch (kind) {
            case DEPLOYMENT -> deployments.serviceOf(id);
            case DECISION -> uuid(id).flatMap(decisions::findByIdOptional).map(d -> d.service);
            case ServiceScoped.SERVICE -> Optional.of(id);
            case POLICY_SCOPE -> ANY.equals(id) ? Optional.empty() : Optional.of(id);
            default -> throw new IllegalArgumentException("rollback-service has no objects of kind " + kind);
        };
    }

    private static Optional<UUID> uuid(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
