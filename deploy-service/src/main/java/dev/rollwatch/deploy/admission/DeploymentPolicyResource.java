package dev.rollwatch.deploy.admission;

import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
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

/** Deployment policies: environment order, deployment windows and freezes, per service/environment scope. */
@Path("/api/v1/deployment-policies/{service}/{environment}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DeploymentPolicyResource {

    private final DeploymentPolicyService policies;
    private final Caller caller;

    public DeploymentPolicyResource(DeploymentPolicyService policies, Caller caller) {
        this.policies = policies;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Operation(summary = "The deployment policy in force for a service and environment", description = "The most "
            + "specific scope wins: service/environment, then service/*, then */environment, then */*; version 0 is "
            + "the built-in default (nothing required, always open). Says whether deployments may start now and "
            + "when next.")
    public PolicyView get(@PathParam("service") String service, @PathParam("environment") String environment) {
        check(service, environment);
        if (!DeploymentPolicy.ANY.equals(service)) {
            caller.requireService(service);
        }
        return policies.get(service, environment);
    }

    @PUT
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Set the deployment policy of a scope (a new version)", description = "requires: "
            + "environments the same version must have SUCCEEDED in, at least minAge before; windows: when "
            + "deployments may start (days, from/to local time, zone); freezes: from/to instants with a reason. The "
            + "author is the token subject. A '*' service needs a token for every service.")
    public PolicyView put(@PathParam("service") String service, @PathParam("environment") String environment,
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
