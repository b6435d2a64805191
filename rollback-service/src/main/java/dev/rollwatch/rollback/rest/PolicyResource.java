package dev.rollwatch.rollback.rest;

import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import dev.rollwatch.rollback.domain.Policy;
import dev.rollwatch.rollback.repository.PolicyRepository;
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

import java.util.List;

/**
 * The decision matrix as data: one policy per scope, versioned, every version kept. {@code *} means any. Read by
 * deployers and operators of the scope's service; changed by operators (a {@code *} service needs a token for all
 * services). The author of a change is the token's subject.
 */
@Path("/api/v1/policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PolicyResource {

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
            description = "Only the scopes of the caller's services, and those of any service (`*`).")
    public List<PolicyView> list() {
        return policies.allCurrent().stream().filter(p -> Scopes.mayReadPolicy(caller, p.service))
                .map(PolicyView::of).toList();
    }

    @GET
    @Path("/{service}/{environment}")
    @Transactional
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Operation(summary = "The policy in force for a service and environment",
            description = "The most specific scope wins: service/environment, then service/*, then */environment, "
                    + "then the global default */*. The response names the scope it came from.")
    public PolicyView effective(@PathParam("service") String serviceName,
            @PathParam("environment") String environment) {
        Scopes.requireReadPolicy(caller, serviceName);
        return PolicyView.of(policies.effective(serviceName, environment));
    }

    @GET
    @Path("/{service}/{environment}/versions")
    @Transactional
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Operation(summary = "Every version of exactly this scope's policy, newest first")
    public List<PolicyView> versions(@PathParam("service") String serviceName,
            @PathParam("environment") String environment) {
        Scopes.requireReadPolicy(caller, serviceName);
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
    @Operation(summary = "Change a scope's policy: stores its next version",
            description = "Role operator, for the scope's service (`*`: a token for all services). Fields left out "
                    + "keep the value of the policy in force for the scope now. The author is the token's subject.")
    public PolicyView change(@PathParam("service") String serviceName, @PathParam("environment") String environment,
            @NotNull @Valid PolicyRequest request) {
        caller.requireService(serviceName);
        return PolicyView.of(service.change(serviceName, environment, request, caller.subject()));
    }
}
