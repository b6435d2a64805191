package dev.rollwatch.platform.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Put on a REST resource method with a path parameter that is not {@link ServiceScoped}: its service scope is not
 * checked by {@link ServiceScopeInterceptor}, and {@link #value} says why — what checks it instead (the object's
 * lock, a query filtered by the caller's services) or why nothing needs to. It changes nothing at run time; it makes
 * the choice visible and deliberate, which test-support's {@code ArchitectureRules.objectEndpointsDeclareTheirScope}
 * requires of every such method.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Unscoped {

    /** Why the interceptor does not check this method's scope, and what does. */
    String value();
}
