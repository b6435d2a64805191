package dev.rollwatch.deploy.registry;

import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

/**
 * Registered targets: where deployments of a service go, per environment. Admins write; admins, operators and
 * deployers read (each limited to the services its token allows).
 */
@Path("/api/v1/services/{service}/environments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ServiceTargetResource {

    static final String NAME = "[a-z0-9][a-z0-9._-]*";

    private final ServiceTargets targets;
    private final Caller caller;

    public ServiceTargetResource(ServiceTargets targets, Caller caller) {
        this.targets = targets;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.DEPLOYER})
    @Operation(summary = "The registered targets of a service, one per environment")
    public List<TargetView> list(@PathParam("service") String service) {
        check("service", service);
        caller.requireService(service);
        return targets.ofService(service);
    }

    @GET
    @Path("/{environment}")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.DEPLOYER})
    @Operation(summary = "The registered target of a service in an environment", description = "The signing "
            + "secret is never shown: signingSecretSet says whether the target has its own.")
    public TargetView get(@PathParam("service") String service, @PathParam("environment") String environment) {
        scope(service, environment);
        return targets.get(service, environment).orElseThrow(() -> ProblemException.notFound("registered target",
                service + "/" + environment));
    }

    @PUT
    @Path("/{environment}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Register (or change) the target of a service in an environment", description = "targetUrl "
            + "(no query, fragment or user info), metricsUrl (default targetUrl + /metrics), smokeHosts (host or "
            + "host:port smoke checks may call besides the target's origin), signingSecret (write-only; absent keeps "
            + "it unless targetUrl changes, \"\" removes it). 201 when new, else 200.")
    public Response put(@PathParam("service") String service, @PathParam("environment") String environment,
            @NotNull @Valid TargetRegistration request) {
        scope(service, environment);
        ServiceTargets.Saved saved = targets.put(service, environment, request, caller.subject());
        return Response.status(saved.created() ? Response.Status.CREATED : Response.Status.OK).entity(saved.view())
                .build();
    }

    @DELETE
    @Path("/{environment}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Remove a registered target", description = "Deployments already started keep their URLs.")
    public Response delete(@PathParam("service") String service, @PathParam("environment") String environment) {
        scope(service, environment);
        if (!targets.delete(service, environment, caller.subject())) {
            throw ProblemException.notFound("registered target", service + "/" + environment);
        }
        return Response.noContent().build();
    }

    private void scope(String service, String environment) {
        check("service", service);
        check("environment", environment);
        caller.requireService(service);
    }

    private static void check(String what, String value) {
        if (value == null || value.length() > 100 || !value.matches(NAME)) {
            throw ProblemException.badRequest("invalid-service", what + " must be lowercase letters, digits, . _ - "
                    + "(at most 100)");
        }
    }
}
