package dev.rollwatch.rollback.rest;

import dev.rollwatch.platform.rest.Problem;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import dev.rollwatch.platform.security.ServiceScoped;
import dev.rollwatch.platform.security.Unscoped;
import dev.rollwatch.rollback.domain.TrackedDeployment;
import dev.rollwatch.rollback.repository.DecisionRepository;
import dev.rollwatch.rollback.repository.TrackedDeploymentRepository;
import dev.rollwatch.rollback.service.ManualRollbacks;
import dev.rollwatch.rollback.service.ObjectOwners;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/deployments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = ApiDocs.UNAUTHORIZED, content = @Content(mediaType = Problem.MEDIA_TYPE))
public class DeploymentResource {

    static final String ID = "The deployment's id";

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
    @ServiceScoped(kind = ObjectOwners.DEPLOYMENT, param = "id")
    @Operation(summary = "A deployment as the rollback service knows it (from its events)",
            description = "With its rollback decision, if any (`rollbackDecisionId` and the decision itself in "
                    + "`rollbackDecision`). Roles deployer, operator, for the deployment's service. `state` is "
                    + "ACTIVE, ROLLING_BACK or FINISHED (with `outcome`).")
    @APIResponse(responseCode = "200", description = "The deployment")
    @APIResponse(responseCode = "403", description = ApiDocs.READERS + "; " + ApiDocs.FORBIDDEN_SERVICE, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = "`not-found`: this service has no deployment with this id",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public DeploymentView get(@Parameter(description = ID) @PathParam("id") String id) {
        TrackedDeployment deployment = deployments.findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("deployment", id));
        return DeploymentView.of(deployment, decisions.rollbackOf(id).orElse(null));
    }

    @POST
    @Path("/{id}/rollback")
    @RolesAllowed(Roles.OPERATOR)
    @Unscoped("checked by hand under the deployment's lock (ManualRollbacks), where a deployment this service does "
            + "not know yet is 403 to a token limited to some services, like another service's")
    @Operation(summary = "Roll a deployment back now", description = "Role operator, for the deployment's service. "
            + "Publishes RollbackRequested (trigger MANUAL) with the token's subject as `requestedBy`. "
            + "A retried request with the same Idempotency-Key returns the first decision. The deployment may be running "
            + "or the latest SUCCEEDED one of its service and environment (rolled back to the version before it, or "
            + "to `toVersion`, which must have SUCCEEDED there once: else 409 `version-never-succeeded`). 409 when "
            + "the deployment finished otherwise, is not the latest SUCCEEDED one, or a rollback was already "
            + "requested. 403 `forbidden-service` when the token does not allow the deployment's service, or when the "
            + "deployment is unknown and the token is limited to some services (404 only for an all-services token). "
            + "Body `{reason, toVersion}` (`toVersion` optional). Not held by a rollback hold or by auto-rollback "
            + "off.")
    @APIResponse(responseCode = "202", description = "The ROLLBACK decision (trigger MANUAL; `Location`: "
            + "/api/v1/decisions/{id}); emits `RollbackRequested`")
    @APIResponse(responseCode = "200", description = "A retry with the same Idempotency-Key: the first decision")
    @APIResponse(responseCode = "400", description = "`validation` (`reason` missing or over 1500 characters, "
            + "`toVersion` over 128), `same-version` (`toVersion` is the deployment's own version), " + ApiDocs.BODY,
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = ApiDocs.OPERATORS + "; `forbidden-service`: the token does not "
            + "allow the deployment's service, or the deployment is unknown and the token is limited to some "
            + "services (the same answer)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = "`not-found`: the deployment is unknown to this service (to a "
            + "token of every service only)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "`deployment-finished` (finished otherwise; with `outcome`), "
            + "`not-latest-succeeded` (with `latestDeploymentId`), `version-never-succeeded` (with `toVersion`), "
            + "`rollback-in-progress` (with `decisionId`), `idempotency-key-reused` (the key was used for another "
            + "deployment; `deploymentId` only when of the same service), `no-known-good-version` (a first "
            + "deployment: nothing to roll back to; with `service`, `environment`)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "411", description = ApiDocs.LENGTH_REQUIRED, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "413", description = ApiDocs.TOO_LARGE, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = ApiDocs.RATE_LIMITED, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response rollback(@Parameter(description = ID) @PathParam("id") String id,
            @NotNull @Valid ManualRollbackRequest request,
            @Parameter(description = "Makes retries safe: a request with a key already used for this deployment "
                    + "answers 200 with the first decision (at most 200 characters)")
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
