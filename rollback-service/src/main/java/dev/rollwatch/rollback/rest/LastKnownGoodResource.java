package dev.rollwatch.rollback.rest;

import dev.rollwatch.platform.rest.Problem;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Roles;
import dev.rollwatch.platform.security.ServiceScoped;
import dev.rollwatch.rollback.repository.LastKnownGoodRepository;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Instant;

@Path("/api/v1/services/{service}/environments/{environment}/last-known-good")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = ApiDocs.UNAUTHORIZED, content = @Content(mediaType = Problem.MEDIA_TYPE))
public class LastKnownGoodResource {

    /** The version rollbacks of this service in this environment go to. */
    public record LastKnownGoodView(String service, String environment, String version, String deploymentId,
            Instant finishedAt) {
    }

    private final LastKnownGoodRepository lastKnownGood;
    public LastKnownGoodResource(LastKnownGoodRepository lastKnownGood) {
        this.lastKnownGood = lastKnownGood;
    }

    @GET
    @Transactional
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @ServiceScoped(kind = ServiceScoped.SERVICE, param = "service")
    @Operation(summary = "The last version that finished SUCCEEDED: the rollback target", description = "Roles "
            + "deployer, operator, for `service`. `version`, `deploymentId`, `finishedAt`.")
    @APIResponse(responseCode = "200", description = "The last known good version")
    @APIResponse(responseCode = "403", description = ApiDocs.READERS + "; `forbidden-service`: the token does not "
            + "allow `service`", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = "`no-last-known-good`: no deployment of the service in the "
            + "environment has finished SUCCEEDED yet", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public LastKnownGoodView get(@Parameter(description = "The service") @PathParam("service") String service,
            @Parameter(description = "The environment") @PathParam("environment") String environment) {
        return lastKnownGood.find(service, environment)
                .map(g -> new LastKnownGoodView(g.scope.service(), g.scope.environment(), g.version, g.deploymentId,
                        g.finishedAt))
                .orElseThrow(() -> new ProblemException(404, "no-last-known-good", "Not found", "no deployment of "
                        + service + " in " + environment + " has finished SUCCEEDED yet"));
    }
}
