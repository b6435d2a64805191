package dev.rollwatch.deploy.rest;

import dev.rollwatch.deploy.domain.Deployment;
import dev.rollwatch.deploy.service.DeploymentService;
import dev.rollwatch.platform.rest.ProblemException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.UUID;

@Path("/api/v1/deployments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DeploymentResource {

    private final DeploymentService deployments;

    public DeploymentResource(DeploymentService deployments) {
        this.deployments = deployments;
    }

    @POST
    @Operation(summary = "Start a deployment", description = "Accepted deployments run asynchronously; poll GET "
            + "or follow the events. A retried POST with the same Idempotency-Key returns the first deployment.")
    public Response create(@NotNull @Valid DeploymentRequests.CreateDeployment request,
            @HeaderParam("Idempotency-Key") @Size(max = 200) String idempotencyKey, @Context UriInfo uri) {
        DeploymentService.Created created = deployments.create(request, idempotencyKey);
        Deployment d = created.deployment();
        return Response.status(created.isNew() ? Response.Status.ACCEPTED : Response.Status.OK)
                .location(uri.getAbsolutePathBuilder().path(d.id.toString()).build())
                .entity(view(d)).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A deployment's state")
    public DeploymentView get(@PathParam("id") String id) {
        UUID uuid = parse(id);
        return deployments.find(uuid).map(DeploymentResource::view)
                .orElseThrow(() -> ProblemException.notFound("deployment", id));
    }

    private static DeploymentView view(Deployment d) {
        return DeploymentView.of(d, DeploymentService.stepsOf(d), DeploymentService.analysisOf(d));
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("deployment", id);
        }
    }
}
