package dev.rollwatch.platform.security;

import java.util.Optional;

/**
 * Which service owns an object a request names: a service with {@link ServiceScoped} endpoints provides one CDI bean
 * of this type, and {@link ServiceScopeInterceptor} asks it before such an endpoint runs.
 */
public interface ServiceOwners {

    /**
     * The service owning the object of {@code kind} named {@code id}; empty when there is nothing to check: the id
     * does not parse, no such object exists (the endpoint then answers its own 400 or 404, as it would without the
     * check), or the object belongs to no one service (e.g. a policy of {@code *}, readable by everyone who may read
     * policies). Called inside the endpoint's transaction when it has one; an implementation that reads the database
     * must work without one too.
     *
     * @throws IllegalArgumentException for a kind this service does not know (a programming error)
     */
    Optional<String> serviceOf(String kind, String id);
}
