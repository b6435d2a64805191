package dev.rollwatch.rollback.rest;

import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import dev.rollwatch.rollback.repository.LastKnownGoodRepository;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;

@Path("/api/v1/services/{service}/environments/{environment}/last-known-good")
@Produces(MediaType.APPLICATION_JSON)
public class LastKnownGoodResource {

    /** The version rollbacks of this service in this environment go to. */
    public record LastKnownGoodView(String service, String environment, String version, String deploymentId,
            Instant finishedAt) {
    }

    private final LastKnownGoodRepository lastKnownGood;
    private final Caller caller;

    public LastKnownGoodResource(LastKnownGoodRepository lastKnownGood, Caller caller) {
        this.lastKnownGood = lastKnownGood;
        this.caller = caller;
    }

    @GET
    @Transactional
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Operation(summary = "The last version that finished SUCCEEDED: the rollback target")
    public LastKnownGoodView get(@PathParam("service") String service, @PathParam("environment") String environment) {
        caller.requireService(service);
        return lastKnownGood.find(service, environment)
                .map(g -> new LastKnownGoodView(g.scope.service(), g.scope.environment(), g.version, g.deploymentId,
                        g.finishedAt))
                .orElseThrow(() -> new ProblemException(404, "no-last-known-good", "Not found", "no deployment of "
                        + service + " in " + environment + " has finished SUCCEEDED yet"));
    }
}
