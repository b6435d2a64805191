package dev.rollwatch.rollback.rest;

import dev.rollwatch.platform.rest.Problem;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import dev.rollwatch.platform.security.ServiceScoped;
import dev.rollwatch.rollback.config.RollbackConfig;
import dev.rollwatch.rollback.domain.Decision;
import dev.rollwatch.rollback.domain.DecisionAction;
import dev.rollwatch.rollback.repository.DecisionRepository;
import dev.rollwatch.rollback.repository.TrackedDeploymentRepository;
import dev.rollwatch.rollback.service.Conditionals;
import dev.rollwatch.rollback.service.ObjectOwners;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

@Path("/api/v1/decisions")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = ApiDocs.UNAUTHORIZED, content = @Content(mediaType = Problem.MEDIA_TYPE))
public class DecisionResource {

    static final String ID = "The decision's id (a UUID)";
    static final String NOT_FOUND = "`not-found`: no decision with this id (an id that is not a UUID included)";

    private final DecisionRepository decisions;
    private final RollbackConfig config;
    private final TrackedDeploymentRepository deployments;
    private final Caller caller;
    private final Conditionals conditionals;

    public DecisionResource(DecisionRepository decisions, RollbackConfig config,
            TrackedDeploymentRepository deployments, Caller caller, Conditionals conditionals) {
        this.conditionals = conditionals;
        this.decisions = decisions;
        this.config = config;
        this.deployments = deployments;
        this.caller = caller;
    }

    @GET
    @Transactional
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Operation(summary = "Decisions, newest first", description = "Every decision is listed, including those that "
            + "rolled nothing back (ALERT, NOTIFY, ATTACHED, IGNORED), with the rule and policy version behind it. "
            + "Only decisions about the caller's services; 403 `forbidden-service` when `service` or the "
            + "deployment of `deploymentId` is not one of them. Roles deployer, operator. "
            + "`{items, page, size, total}`; null fields are left out.")
    @APIResponse(responseCode = "200", description = "One page of decisions")
    @APIResponse(responseCode = "400", description = "`invalid-paging` (`page` below 0, `size` outside 1 to "
            + "`rollwatch.rollback.max-page-size`, default 200), `invalid-filter` (`action` not a decision action)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = ApiDocs.READERS + "; `forbidden-service`: `service`, or the "
            + "service of the deployment `deploymentId`, is not one the token allows", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public DecisionView.Page list(
            @Parameter(description = "Only decisions about this deployment") @QueryParam("deploymentId")
            String deploymentId,
            @Parameter(description = "Only this service") @QueryParam("service") String service,
            @Parameter(description = "Only this environment") @QueryParam("environment") String environment,
            @Parameter(description = "Only this action: ROLLBACK, CONDITIONAL, ALERT, NOTIFY, HOLD, ATTACHED, "
                    + "IGNORED, ESCALATED (case-insensitive)") @QueryParam("action") String action,
            @Parameter(description = "Page number, from 0") @QueryParam("page") @DefaultValue("0") int page,
            @Parameter(description = "Page size (default 50), 1 to `rollwatch.rollback.max-page-size` "
                    + "(200 by default)")
            @QueryParam("size") @DefaultValue("50") int size) {
        if (page < 0 || size < 1 || size > config.maxPageSize()) {
            throw ProblemException.badRequest("invalid-paging",
                    "page must be >= 0 and size between 1 and " + config.maxPageSize());
        }
        String deployment = blankToNull(deploymentId);
        String serviceName = blankToNull(service);
        if (serviceName != null) {
            caller.requireService(serviceName);
        }
        if (deployment != null) {
            deployments.serviceOf(deployment).ifPresent(caller::requireService);
        }
        DecisionRepository.Filter filter = new DecisionRepository.Filter(deployment, serviceName,
                blankToNull(environment), action(action), caller.serviceScope());
        PanacheQuery<Decision> query = decisions.search(filter, page, size);
        return new DecisionView.Page(query.list().stream().map(DecisionView::of).toList(), page, size,
                query.count());
    }

    @GET
    @Path("/{id}")
    @Transactional
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @ServiceScoped(kind = ObjectOwners.DECISION, param = "id")
    @Operation(summary = "One decision", description = "Roles deployer, operator, for the decision's service.")
    @APIResponse(responseCode = "200", description = "The decision")
    @APIResponse(responseCode = "403", description = ApiDocs.READERS + "; " + ApiDocs.FORBIDDEN_SERVICE, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public DecisionView get(@Parameter(description = ID) @PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("decision", id);
        }
        return DecisionView.of(decisions.findByIdOptional(uuid)
                .orElseThrow(() -> ProblemException.notFound("decision", id)));
    }

    @POST
    @Path("/{id}/resolve")
    @RolesAllowed(Roles.OPERATOR)
    @ServiceScoped(kind = ObjectOwners.DECISION, param = "id")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Resolve a CONDITIONAL decision", description = "Role operator, for the decision's service. "
            + "`ROLLBACK` requests the rollback now (trigger MANUAL, requestedBy the token's subject); `HOLD` records "
            + "a HOLD decision related to it. 409 problem when it is not CONDITIONAL, was already resolved (by a "
            + "person or by its default action), or the deployment is no longer open. Body `{action, reason}`. "
            + "Not held by a rollback hold or by auto-rollback off. Nobody answering by `decideBy` means the "
            + "policy's default action.")
    @APIResponse(responseCode = "202", description = "`ROLLBACK`: the ROLLBACK decision (trigger MANUAL, "
            + "`relatedDecision` = the conditional; `Location` names it); emits `RollbackRequested`")
    @APIResponse(responseCode = "200", description = "`HOLD`: the HOLD decision (`relatedDecision` = the "
            + "conditional); emits `RollbackDecided` action HOLD")
    @APIResponse(responseCode = "400", description = "`validation` (`action` not ROLLBACK or HOLD, `reason` missing "
            + "or over 1500 characters), " + ApiDocs.BODY, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = ApiDocs.OPERATORS + "; " + ApiDocs.FORBIDDEN_SERVICE, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "`not-conditional`, `decision-resolved` (with `resolution`, "
            + "`resolvedBy`), `deployment-not-open` (finished, or already rolling back), `no-known-good-version` "
            + "(ROLLBACK with no version to roll back to)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "411", description = ApiDocs.LENGTH_REQUIRED, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "413", description = ApiDocs.TOO_LARGE, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = ApiDocs.RATE_LIMITED, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response resolve(@Parameter(description = ID) @PathParam("id") String id,
            @NotNull @Valid ResolveRequest request,
            @Context UriInfo uri) {
        Decision decision = existing(uuid(id));
        Decision result = conditionals.resolve(decision.id, request.action(), request.reason().trim(),
                caller.subject());
        return Response.status(result.action == DecisionAction.ROLLBACK ? Response.Status.ACCEPTED
                : Response.Status.OK).location(uri.getBaseUriBuilder().path("api/v1/decisions")
                .path(result.id.toString()).build()).entity(DecisionView.of(result)).build();
    }

    @POST
    @Path("/{id}/acknowledge")
    @RolesAllowed(Roles.OPERATOR)
    @ServiceScoped(kind = ObjectOwners.DECISION, param = "id")
    @Operation(summary = "Acknowledge a decision", description = "Role operator. Records who acknowledged it and "
            + "when (the first acknowledgement stands); an acknowledged decision is not escalated as unanswered. "
            + "For the decision's service.")
    @APIResponse(responseCode = "200", description = "The decision (`acknowledgedBy`, `acknowledgedAt`)")
    @APIResponse(responseCode = "403", description = ApiDocs.OPERATORS + "; " + ApiDocs.FORBIDDEN_SERVICE, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = ApiDocs.RATE_LIMITED, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public DecisionView acknowledge(@Parameter(description = ID) @PathParam("id") String id) {
        Decision decision = existing(uuid(id));
        return DecisionView.of(conditionals.acknowledge(decision.id, caller.subject()));
    }

    private Decision existing(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> decisions.findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("decision", id.toString())));
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("decision", id);
        }
    }

    private static DecisionAction action(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return DecisionAction.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-filter", "action '" + text + "' is not one of "
                    + Arrays.toString(DecisionAction.values()));
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
