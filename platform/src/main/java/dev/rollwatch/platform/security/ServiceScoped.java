package dev.rollwatch.platform.security;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Put on a REST resource method that acts on one object named by a path parameter: before the method runs,
 * {@link ServiceScopeInterceptor} asks the service's {@link ServiceOwners} which service owns the object and refuses a
 * caller whose {@code services} claim does not cover it with 403 {@code forbidden-service} ({@link
 * Caller#requireService}). The object-level check is then declared once, beside {@code @RolesAllowed}, instead of
 * being called by hand in each method, where forgetting it is a cross-service leak (docs/security.md, "Service
 * scope").
 *
 * <p>The check runs after the role check, after the body has been read and validated (400 first, as before) and
 * inside the method's {@code @Transactional}, if it has one. An id that names no object (it does not parse, or
 * nothing has it) is let through, so the method answers its own 400 or 404.
 *
 * <p>Every resource method with a path parameter of a service that has service-scoped objects is either this or
 * {@link Unscoped} — test-support's {@code ArchitectureRules.objectEndpointsDeclareTheirScope} makes it a rule.
 */
@InterceptorBinding
@Target({ElementType.METHOD, ElementType.TYPE}) // TYPE only so the interceptor can declare its binding; use on methods
@Retention(RetentionPolicy.RUNTIME)
public @interface ServiceScoped {

    /**
     * The kind of a service name itself (a policy's or a registered target's {@code {service}}): by convention its
     * owner is the name, once the service's {@link ServiceOwners} has found it well formed.
     */
    String SERVICE = "service";

    /** What kind of object the parameter names ({@code deployment}, {@code decision}…), as the service's {@link ServiceOwners} knows it. */
    @Nonbinding
    String kind();

    /** The name of the {@code @PathParam} that identifies the object. */
    @Nonbinding
    String param();
}
