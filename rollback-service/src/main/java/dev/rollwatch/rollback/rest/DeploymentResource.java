package dev.rollwatch.rollback.rest;

import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.rollback.repository.DecisionRepository;
import dev.rollwatch.rollback.repository.TrackedDeploymentRepository;
import dev.rollwatch.rollback.service.ManualRollbacks;
import jakarta.transaction.Transactional;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/deployments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DeploymentResource {

    private final TrackedDeploymentRepository deployments;
    private final DecisionRepository decisions;
    private final ManualRollbacks manualRollbacks;

    public DeploymentResource(TrackedDeploymentRepository deployments, DecisionRepository decisions,
            ManualRollbacks manualRollbacks) {
        this.deployments = deployments;
        this.decisions = decisions;
        this.manualRollbacks = manualRollbacks;
    }

    @GET
    @Path("/{id}")
    @Transactional
    @Operation(summary = "A deployment as the rollback service knows it (from its events)")
    public DeploymentView get(@PathParam("id") String id) {
        return deployments.findByIdOptional(id)
                .map(d -> DeploymentView.of(d, decisions.rollbackOf(id).map(r -> r.id).orElse(null)))
                .orElseThrow(() -> ProblemException.notFound("deployment", id));
    }

    @POST
    @Path("/{id}/rollback")
    @Operation(summary = "Roll a deployment back now", description = "Publishes RollbackRequested (trigger MANUAL). "
            + "A retried request with the same Idempotency-Key returns the first decision. 409 when the deployment "
            + "has finished or a rollback was already requested; 404 when the deployment is unknown.")
    public Response rollback(@PathParam("id") String id, @NotNull @Valid ManualRollbackRequest request,
            @HeaderParam("Idempotency-Key") @Size(max = 200) String idempotencyKey, @Context UriInfo uri) {
        ManualRollbacks.Result result = manualRollbacks.request(id, request.reason().trim(),
                request.requestedBy().trim(), idempotencyKey == null || idempotencyKey.isBlank() ? null
                        : idempotencyKey);
        return Response.status(result.isNew() ? Response.Status.ACCEPTED : Response.Status.OK)
                .location(uri.getBaseUriBuilder().path("api/v1/decisions").path(result.decision().id.toString())
                        .build())
                .entity(DecisionView.of(result.decision())).build();
    }
}
