package dev.rollwatch.platform.security;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.ws.rs.PathParam;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;

/**
 * The service-scope check of a {@link ServiceScoped} endpoint: the owner of the object its path parameter names,
 * from the service's {@link ServiceOwners}, must be one of the caller's services, else 403 {@code forbidden-service}
 * with the detail {@link Caller#requireService} always gave.
 *
 * <p>A CDI interceptor rather than a JAX-RS request filter, so the order of the answers stays what it was when each
 * method made the check itself: request filters run before the body is read, while this runs when the method is
 * invoked — after the role check and the rate limiter (filters), after the body is read (400 {@code malformed-body})
 * and after Hibernate Validator's endpoint interceptor (priority {@code PLATFORM_AFTER + 800}: 400 {@code
 * validation}); inside {@code @Transactional} ({@code PLATFORM_BEFORE + 200}), so the lookup shares the method's
 * transaction. It also runs on the worker thread of a blocking endpoint, where the lookup may use the database.
 */
@ServiceScoped(kind = "", param = "")
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER + 900)
public class ServiceScopeInterceptor {

    @Inject
    Caller caller;

    @Inject
    Instance<ServiceOwners> owners;

    @AroundInvoke
    Object check(InvocationContext ctx) throws Exception {
        Method method = ctx.getMethod();
        ServiceScoped scoped = method.getAnnotation(ServiceScoped.class);
        if (scoped == null) {
            throw new IllegalStateException(method.getDeclaringClass().getSimpleName()
                    + ": @ServiceScoped names the parameter of one method; put it on the method, not the class");
        }
        String id = pathParam(method, ctx.getParameters(), scoped.param());
        if (id != null) {
            owners.get().serviceOf(scoped.kind(), id).ifPresent(caller::requireService);
        }
        return ctx.proceed();
    }

    /** The value of {@code @PathParam(name)}; a name the method does not have is a programming error. */
    static String pathParam(Method method, Object[] arguments, String name) {
        Parameter[] parameters = method.getParameters();
        for (int i = 0; i < parameters.length; i++) {
            PathParam param = parameters[i].getAnnotation(PathParam.class);
            if (param != null && param.value().equals(name)) {
                return arguments[i] == null ? null : arguments[i].toString();
            }
        }
        throw new IllegalStateException(method.getDeclaringClass().getSimpleName() + "." + method.getName()
                + " is @ServiceScoped by path parameter '" + name + "', which it does not have");
    }
}
