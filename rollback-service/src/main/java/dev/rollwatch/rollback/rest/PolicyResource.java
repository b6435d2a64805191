package dev.rollwatch.rollback.rest;

import dev.rollwatch.platform.rest.Problem;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import dev.rollwatch.platform.security.ServiceScoped;
import dev.rollwatch.rollback.domain.Policy;
import dev.rollwatch.rollback.repository.PolicyRepository;
import dev.rollwatch.rollback.service.ObjectOwners;
import dev.rollwatch.rollback.service.PolicyRequest;
import dev.rollwatch.rollback.service.PolicyService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
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

import java.util.List;

/**
 * The decision matrix as data: one policy per scope, versioned, every version kept. {@code *} means any. Read by
 * deployers and operators of the scope's service; changed by operators (a {@code *} service needs a token for all
 * services). The author of a change is the token's subject.
 */
@Path("/api/v1/policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = ApiDocs.UNAUTHORIZED, content = @Content(mediaType = Problem.MEDIA_TYPE))
public class PolicyResource {

    private static final String ANY = "*";

    static final String FORBIDDEN_SCOPE = "`forbidden-service`: the token does not allow `service` (a `*` scope is "
            + "readable by every deployer and operator)";

    private final PolicyRepository policies;
    private final PolicyService service;
    private final Caller caller;

    public PolicyResource(PolicyRepository policies, PolicyService service, Caller caller) {
        this.policies = policies;
        this.service = service;
        this.caller = caller;
    }

    @GET
    @Transactional
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Operation(summary = "The current version of every scope's policy",
            description = "Only the scopes of the caller's services, and those of any service (`*`). Roles deployer, "
                    + "operator.")
    @APIResponse(responseCode = "200", description = "The current version of each scope")
    @APIResponse(responseCode = "403", description = ApiDocs.READERS, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public List<PolicyView> list() {
        // A policy of `*` applies to every service: whoever may read policies reads it.
        return policies.allCurrent().stream().filter(p -> ANY.equals(p.service) || caller.mayAccess(p.service))
                .map(PolicyView::of).toList();
    }

    @GET
    @Path("/{service}/{environment}")
    @Transactional
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @ServiceScoped(kind = ObjectOwners.POLICY_SCOPE, param = "service")
    @Operation(summary = "The policy in force for a service and environment",
            description = "The most specific scope wins: service/environment, then service/*, then */environment, "
                    + "then the global default */*. The response names the scope it came from. Roles deployer, "
                    + "operator.")
    @APIResponse(responseCode = "200", description = "The policy in force")
    @APIResponse(responseCode = "403", description = ApiDocs.READERS + "; " + FORBIDDEN_SCOPE, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public PolicyView effective(@Parameter(description = ApiDocs.SERVICE) @PathParam("service") String serviceName,
            @Parameter(description = ApiDocs.ENVIRONMENT) @PathParam("environment") String environment) {
        return PolicyView.of(policies.effective(serviceName, environment));
    }

    @GET
    @Path("/{service}/{environment}/versions")
    @Transactional
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @ServiceScoped(kind = ObjectOwners.POLICY_SCOPE, param = "service")
    @Operation(summary = "Every version of exactly this scope's policy, newest first", description = "Roles "
            + "deployer, operator.")
    @APIResponse(responseCode = "200", description = "The scope's versions")
    @APIResponse(responseCode = "403", description = ApiDocs.READERS + "; " + FORBIDDEN_SCOPE, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = "`no-policy`: the scope has no policy of its own (the one in "
            + "force comes from a wider scope)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public List<PolicyView> versions(@Parameter(description = ApiDocs.SERVICE) @PathParam("service") String serviceName,
            @Parameter(description = ApiDocs.ENVIRONMENT) @PathParam("environment") String environment) {
        List<Policy> history = policies.history(serviceName, environment);
        if (history.isEmpty()) {
            throw new ProblemException(404, "no-policy", "Not found", "no policy of its own for " + serviceName + "/"
                    + environment + " (the policy in force comes from a wider scope)");
        }
        return history.stream().map(PolicyView::of).toList();
    }

    @PUT
    @Path("/{service}/{environment}")
    @RolesAllowed(Roles.OPERATOR)
    @ServiceScoped(kind = ServiceScoped.SERVICE, param = "service")
    @Operation(summary = "Change a scope's policy: stores its next version",
            description = "Role operator, for the scope's service (`*`: a token for all services). Fields left out "
                    + "keep the value of the policy in force for the scope now; `overrides`, when given, replaces "
                    + "the whole map. The author (`createdBy`) is the token's subject. Fields: `actions` (P0-P3 -> "
                    + "ROLLBACK, CONDITIONAL, MONITOR, ALERT, NOTIFY), `repeatCount` (1-1000), `repeatWindow`, "
                    + "`autoRollback`, `rollbackHold` (the old name `freeze` is refused as an unknown field), "
                    + "`rollbackDeadline`, `pack`, `overrides` (by rule id: `sustainedFor`, `decideWithin`, "
                    + "`within`), `conditionalDefault` (ROLLBACK or HOLD), `deciders`, `reason` (required). "
                    + "Durations: `500ms`, `30s`, `5m`, `1h`, `1d` or ISO-8601 (`PT5M`). Emits `PolicyChanged`.")
    @APIResponse(responseCode = "200", description = "The new version")
    @APIResponse(responseCode = "400", description = "`invalid-policy` (every problem in `errors[]`: an unknown "
            + "severity or action, a non-positive or over 24h window, deadline or override, an override of a rule "
            + "the pack does not have or of an unknown field, an unknown `pack`, a `conditionalDefault` other than "
            + "ROLLBACK/HOLD, `repeatCount` outside 1..1000, contradictory rules such as P3 ROLLBACK while P1 "
            + "NOTIFY), `invalid-scope` (a scope that is not lowercase letters, digits, `._-` or `*`), `validation` "
            + "(`reason` missing or over 2000 characters), " + ApiDocs.BODY, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = ApiDocs.OPERATORS + "; `forbidden-service`: the token does not "
            + "allow `service` (`*` needs a token for every service)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "`policy-changed-concurrently`: two changes raced for the same "
            + "version; read it and try again", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "411", description = ApiDocs.LENGTH_REQUIRED, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "413", description = ApiDocs.TOO_LARGE, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = ApiDocs.RATE_LIMITED, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public PolicyView change(@Parameter(description = ApiDocs.SERVICE) @PathParam("service") String serviceName,
            @Parameter(description = ApiDocs.ENVIRONMENT) @PathParam("environment") String environment,
            @NotNull @Valid PolicyRequest request) {
        return PolicyView.of(service.change(serviceName, environment, request, caller.subject()));
    }
}
