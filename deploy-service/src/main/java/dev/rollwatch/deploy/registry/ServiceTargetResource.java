package dev.rollwatch.deploy.registry;

import dev.rollwatch.platform.rest.Problem;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import dev.rollwatch.platform.security.Unscoped;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;

/**
 * Registered targets: where deployments of a service go, per environment. Admins write; admins, operators and
 * deployers read (each limited to the services its token allows).
 */
@Path("/api/v1/services/{service}/environments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = ServiceTargetResource.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE))
public class ServiceTargetResource {

    /** Why the {service} path is checked by hand, not by {@code @ServiceScoped}. */
    static final String SCOPE_BY_HAND = "{service} is the scope itself, checked by hand once the names are "
            + "validated (400 before 403, an order a check before the method would not keep)";

    static final String UNAUTHORIZED = "`unauthorized`: no valid bearer token (none, or one that is expired, signed "
            + "by another key, or for another issuer or audience); `WWW-Authenticate: Bearer`";
    static final String RATE_LIMITED = "`rate-limited`: too many changes from this identity (a burst of 60, then "
            + "10/s by default: `rollwatch.security.rate-limit.*`); `Retry-After` says when to retry";
    static final String SERVICE = "The service";
    static final String ENVIRONMENT = "The environment";
    static final String INVALID_SERVICE = "`invalid-service`: `service` or `environment` is not lowercase letters, "
            + "digits, `. _ -` (at most 100)";
    static final String READ_403 = "`forbidden` (not admin, operator or deployer), `forbidden-service` (the token "
            + "does not allow `service`)";
    static final String WRITE_403 = "`forbidden` (not admin), `forbidden-service` (the token does not allow "
            + "`service`)";
    static final String NOT_FOUND = "`not-found`: no target is registered for this service and environment";

    static final String NAME = "[a-z0-9][a-z0-9._-]*";

    private final ServiceTargets targets;
    private final Caller caller;

    public ServiceTargetResource(ServiceTargets targets, Caller caller) {
        this.targets = targets;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.DEPLOYER})
    @Unscoped(SCOPE_BY_HAND)
    @Operation(summary = "The registered targets of a service, one per environment", description = "Roles admin, "
            + "operator, deployer. Each: the URLs, `smokeHosts`, `signingSecretSet` (never the secret), `updatedBy`, "
            + "`updatedAt`.")
    @APIResponse(responseCode = "200", description = "The registered targets (possibly none)")
    @APIResponse(responseCode = "400", description = INVALID_SERVICE, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = READ_403, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public List<TargetView> list(@Parameter(description = SERVICE) @PathParam("service") String service) {
        check("service", service);
        caller.requireService(service);
        return targets.ofService(service);
    }

    @GET
    @Path("/{environment}")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.DEPLOYER})
    @Unscoped(SCOPE_BY_HAND)
    @Operation(summary = "The registered target of a service in an environment", description = "The signing "
            + "secret is never shown: signingSecretSet says whether the target has its own. Roles admin, operator, "
            + "deployer.")
    @APIResponse(responseCode = "200", description = "The registered target")
    @APIResponse(responseCode = "400", description = INVALID_SERVICE, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = READ_403, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public TargetView get(@Parameter(description = SERVICE) @PathParam("service") String service,
            @Parameter(description = ENVIRONMENT) @PathParam("environment") String environment) {
        scope(service, environment);
        return targets.get(service, environment).orElseThrow(() -> ProblemException.notFound("registered target",
                service + "/" + environment));
    }

    @PUT
    @Path("/{environment}")
    @RolesAllowed(Roles.ADMIN)
    @Unscoped(SCOPE_BY_HAND)
    @Operation(summary = "Register (or change) the target of a service in an environment", description = "targetUrl "
            + "(no query, fragment or user info), metricsUrl (default targetUrl + /metrics), smokeHosts (host or "
            + "host:port smoke checks may call besides the target's origin), signingSecret (write-only; absent keeps "
            + "it unless targetUrl changes, \"\" removes it). 201 when new, else 200. Role admin.\n\n"
            + "`targetUrl` is required (http(s)); `smokeHosts` holds up to 50 entries (`host` alone means the "
            + "scheme's default port; the target's own origin is always allowed); `signingSecret` is a Standard "
            + "Webhooks secret (`whsec_...`), this target's own: the driver signs every call to the target with it "
            + "(else with `rollwatch.deploy.http-driver.secret`). It is stored sealed and never logged or shown. "
            + "Both URLs are checked against the outbound policy for the environment. A change is logged (who, the "
            + "origin, whether the secret was set, kept or removed); it is not an event.")
    @APIResponse(responseCode = "201", description = "Registered: the target as stored")
    @APIResponse(responseCode = "200", description = "Changed: the target as stored")
    @APIResponse(responseCode = "400", description = INVALID_SERVICE + "; `invalid-target` (a URL with user info, a "
            + "query or a fragment, not absolute http(s), a malformed smoke host), `destination-refused` (the "
            + "outbound policy refuses a URL; with `field`), `invalid-signing-secret` (not a Standard Webhooks "
            + "secret), `signing-secret-required` (`targetUrl` changes while a secret is stored and the body gives "
            + "none: give it again or `\"\"`; nothing changes), `validation` (a missing or over-long field), "
            + "`malformed-body` (not JSON, an unknown field, a value of the wrong type)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = WRITE_403, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "`concurrent-change`: the target was registered at the same time "
            + "by someone else; try again", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "411", description = "`length-required`: a chunked body without Content-Length",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "413", description = "`body-too-large`: the body is over 1 MiB",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = RATE_LIMITED, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response put(@Parameter(description = SERVICE) @PathParam("service") String service,
            @Parameter(description = ENVIRONMENT) @PathParam("environment") String environment,
            @NotNull @Valid TargetRegistration request) {
        scope(service, environment);
        ServiceTargets.Saved saved = targets.put(service, environment, request, caller.subject());
        return Response.status(saved.created() ? Response.Status.CREATED : Response.Status.OK).entity(saved.view())
                .build();
    }

    @DELETE
    @Path("/{environment}")
    @RolesAllowed(Roles.ADMIN)
    @Unscoped(SCOPE_BY_HAND)
    @Operation(summary = "Remove a registered target", description = "Deployments already started keep their URLs. "
            + "Role admin.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "400", description = INVALID_SERVICE, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = WRITE_403, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = RATE_LIMITED, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response delete(@Parameter(description = SERVICE) @PathParam("service") String service,
            @Parameter(description = ENVIRONMENT) @PathParam("environment") String environment) {
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
