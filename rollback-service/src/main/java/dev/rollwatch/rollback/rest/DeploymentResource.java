package dev.rollwatch.rollback.rest;

import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import dev.rollwatch.rollback.domain.TrackedDeployment;
import dev.rollwatch.rollback.repository.DecisionRepository;
import dev.rollwatch.rollback.repository.TrackedDeploymentRepository;
import dev.rollwatch.rollback.service.ManualRollbacks;
import jakarta.annotation.security.RolesAllowed;
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
    private final Caller caller;

    public DeploymentResource(TrackedDeploymentRepository deployments, DecisionRepository decisions,
            ManualRollbacks manualRollbacks, Caller caller) {
        this.deployments = deployments;
        this.decisions = decisions;
        this.manualRollbacks = manualRollbacks;
        this.caller = caller;
    }

    @GET
    @Path("/{id}")
    @Transactional
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Operation(summary = "A deployment as the rollback service knows it (from its events)",
            description = "With its rollback decision, if any (`rollbackDecisionId` and the decision itself in "
                    + "`rollbackDecision`). Roles deployer, operator, for the deployment's service.")
    public DeploymentView get(@PathParam("id") String id) {
        TrackedDeployment deployment = deployments.findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("deployment", id));
        Scopes.require(caller, deployment.service);
        return DeploymentView.of(deployment, decisions.rollbackOf(id).orElse(null));
    }

    @POST
    @Path("/{id}/rollback")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Roll a deployment back now", description = "Role operator, for the deployment's service. "
            + "Publishes RollbackRequested (trigger MANUAL) with the token's subject as `requestedBy`. "
            + "A retried request with the same Idempotency-Key returns the first decision. The deployment may be running "
            + "or the latest SUCCEEDED one of its service and environment (rolled back to the version before it, or "
            + "to `toVersion`, which must have SUCCEEDED there once: else 409 `version-never-succeeded`). 409 when "
            + "the deployment finished otherwise, is not the latest SUCCEEDED one, or a rollback was already "
            + "requested. 403 `forbidden-service` when the token does not allow the deployment's service, or when the "
            + "deployment is unknown and the token is limited to some services (404 only for an all-services token).")
    public Response rollback(@PathParam("id") String id, @NotNull @Valid ManualRollbackRequest request,
            @HeaderParam("Idempotency-Key") @Size(max = 200) String idempotencyKey, @Context UriInfo uri) {
        // Checked under the deployment's lock, in the transaction that acts: a deployment of another service, and
        // one this service does not know (yet), are the same 403 to a token limited to some services.
        String deployment = "deployment " + id;
        ManualRollbacks.Result result = manualRollbacks.request(id, request.reason().trim(), request.toVersion(),
                caller.subject(),
                idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey,
                service -> caller.requireServiceOf(deployment, service));
        return Response.status(result.isNew() ? Response.Status.ACCEPTED : Response.Status.OK)
                .location(uri.getBaseUriBuilder().path("api/v1/decisions").path(result.decision().id.toString())
                        .build())
                .entity(DecisionView.of(result.decision())).build();
    }
}
