package dev.rollwatch.deploy.admission;

import dev.rollwatch.platform.rest.Problem;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import dev.rollwatch.platform.security.Unscoped;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Deployment policies: environment order, deployment windows and freezes, per service/environment scope. */
@Path("/api/v1/deployment-policies/{service}/{environment}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = DeploymentPolicyResource.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE))
public class DeploymentPolicyResource {

    /** Why the {service} path is checked by hand, not by {@code @ServiceScoped}. */
    static final String SCOPE_BY_HAND = "{service} is the scope itself, checked by hand once the names are "
            + "validated (400 before 403, an order a check before the method would not keep); a `*` policy is "
            + "read by every deployer and operator and changed only with a token for every service";

    static final String UNAUTHORIZED = "`unauthorized`: no valid bearer token (none, or one that is expired, signed "
            + "by another key, or for another issuer or audience); `WWW-Authenticate: Bearer`";
    static final String RATE_LIMITED = "`rate-limited`: too many changes from this identity (a burst of 60, then "
            + "10/s by default: `rollwatch.security.rate-limit.*`); `Retry-After` says when to retry";
    static final String SERVICE = "The scope's service, or `*` for any";
    static final String ENVIRONMENT = "The scope's environment, or `*` for any";
    static final String INVALID_SCOPE = "`invalid-scope`: `service` or `environment` is neither `*` nor lowercase "
            + "letters, digits, `. _ -` (at most 100)";

    private final DeploymentPolicyService policies;
    private final Caller caller;

    public DeploymentPolicyResource(DeploymentPolicyService policies, Caller caller) {
        this.policies = policies;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Unscoped(SCOPE_BY_HAND)
    @Operation(summary = "The deployment policy in force for a service and environment", description = "The most "
            + "specific scope wins: service/environment, then service/*, then */environment, then */*; version 0 is "
            + "the built-in default (nothing required, always open). Says whether deployments may start now and "
            + "when next (`open`, `nextOpening`). With no policy, nothing is required and deployments may always "
            + "start. Roles deployer, operator; a `*` service is readable by both.")
    @APIResponse(responseCode = "200", description = "The policy in force (its scope and version)")
    @APIResponse(responseCode = "400", description = INVALID_SCOPE, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = "`forbidden` (neither deployer nor operator), "
            + "`forbidden-service` (the token does not allow `service`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public PolicyView get(@Parameter(description = SERVICE) @PathParam("service") String service,
            @Parameter(description = ENVIRONMENT) @PathParam("environment") String environment) {
        check(service, environment);
        if (!DeploymentPolicy.ANY.equals(service)) {
            caller.requireService(service);
        }
        return policies.get(service, environment);
    }

    @PUT
    @RolesAllowed(Roles.OPERATOR)
    @Unscoped(SCOPE_BY_HAND)
    @Operation(summary = "Set the deployment policy of a scope (a new version)", description = "requires: "
            + "environments the same version must have SUCCEEDED in, at least minAge before; windows: when "
            + "deployments may start (days, from/to local time, zone); freezes: from/to instants with a reason. The "
            + "author is the token subject. A '*' service needs a token for every service. Role operator.\n\n"
            + "`requires`: `{environment, minAge}`: the same version must have a SUCCEEDED deployment in that "
            + "environment (one rolled back since, in its bake window, no longer counts) that finished at least "
            + "`minAge` ago (`24h`, `90m`, `PT48H`; up to 7 days). `windows`: `{name, days, from, to, zone}`, days "
            + "`MON`...`SUN` (absent = every day), `from` inclusive, `to` exclusive up to `24:00`, local time of "
            + "`zone` (default UTC); deployments may start only inside one (none = always); a running deployment is "
            + "never stopped by a window closing. `freezes`: `{from, to, reason}` (RFC 3339, `to` exclusive): no "
            + "start inside. `reason` is required. Versions are kept; a change is logged, not published as an event.")
    @APIResponse(responseCode = "200", description = "The new version, as in force")
    @APIResponse(responseCode = "400", description = INVALID_SCOPE + "; `invalid-deployment-policy` (with `field`): "
            + "an environment requiring itself, a malformed or out-of-range `minAge`, a window or freeze whose `from` "
            + "is not before `to`, an unknown zone or day, a time that is not HH:mm, an instant that is not RFC 3339; `validation` (`reason` missing, a list too long); "
            + "`malformed-body` (not JSON, an unknown field, a value of the wrong type)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = "`forbidden` (no operator role), `forbidden-service` (the token "
            + "does not allow `service`; a `*` service needs a token for every service)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "`concurrent-policy-change`: the scope was changed at the same "
            + "time; read it again and retry", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "411", description = "`length-required`: a chunked body without Content-Length",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "413", description = "`body-too-large`: the body is over 1 MiB",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = RATE_LIMITED, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public PolicyView put(@Parameter(description = SERVICE) @PathParam("service") String service,
            @Parameter(description = ENVIRONMENT) @PathParam("environment") String environment,
            @NotNull @Valid PolicyRequest request) {
        check(service, environment);
        if (DeploymentPolicy.ANY.equals(service)) {
            if (caller.serviceScope() != null) {
                throw new ProblemException(403, "forbidden-service", "Forbidden",
                        "a policy for every service ('*') needs a token for every service");
            }
        } else {
            caller.requireService(service);
        }
        return policies.put(service, environment, request, caller.subject());
    }

    private static void check(String service, String environment) {
        for (String[] p : new String[][] {{"service", service}, {"environment", environment}}) {
            String v = p[1];
            if (v == null || v.length() > 100
                    || !(DeploymentPolicy.ANY.equals(v) || v.matches(PolicyDocument.NAME))) {
                throw ProblemException.badRequest("invalid-scope", p[0]
                        + " must be '*' or lowercase letters, digits, . _ - (at most 100)");
            }
        }
    }
}
