package dev.rollwatch.deploy.rest;

import dev.rollwatch.deploy.domain.Deployment;
import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.report.ReportService;
import dev.rollwatch.deploy.repository.DeploymentRepository;
import dev.rollwatch.deploy.service.DeploymentQueries;
import dev.rollwatch.deploy.service.DeploymentRequests;
import dev.rollwatch.deploy.service.DeploymentService;
import dev.rollwatch.deploy.service.OperatorService;
import dev.rollwatch.deploy.service.ReportCalculator;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

@Path("/api/v1/deployments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DeploymentResource {

    private final DeploymentService deployments;
    private final DeploymentQueries queries;
    private final OperatorService operators;
    private final DeploymentStream stream;
    private final Caller caller;
    private final ReportService reports;

    public DeploymentResource(DeploymentService deployments, DeploymentQueries queries, OperatorService operators,
            DeploymentStream stream, Caller caller, ReportService reports) {
        this.reports = reports;
        this.deployments = deployments;
        this.queries = queries;
        this.operators = operators;
        this.stream = stream;
        this.caller = caller;
    }

    @POST
    @RolesAllowed(Roles.DEPLOYER)
    @Operation(summary = "Start a deployment", description = "Accepted deployments run asynchronously; poll GET "
            + "or follow the events. A retried POST with the same Idempotency-Key returns the first deployment.")
    public Response create(@NotNull @Valid DeploymentRequests.CreateDeployment request,
            @HeaderParam("Idempotency-Key") @Size(max = 200) String idempotencyKey, @Context UriInfo uri) {
        caller.requireService(request.service());
        if (request.override() != null && !caller.hasRole(Roles.OPERATOR)) {
            throw new ProblemException(403, "override-forbidden", "Forbidden",
                    "only an operator may override the deployment policy (environment order, windows, freezes)");
        }
        DeploymentService.Created created = deployments.create(request, idempotencyKey, caller.subject());
        Deployment d = created.deployment();
        caller.requireService(d.service); // an idempotent hit must not hand out another service's deployment
        return Response.status(created.isNew() ? Response.Status.ACCEPTED : Response.Status.OK)
                .location(uri.getAbsolutePathBuilder().path(d.id.toString()).build())
                .entity(view(d, List.of())).build();
    }

    @GET
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Operation(summary = "List deployments", description = "Filters are optional; from/to bound the creation time "
            + "(RFC 3339, to exclusive). Newest first. Only the services the caller may see are listed.")
    public DeploymentPage list(@QueryParam("service") String service, @QueryParam("environment") String environment,
            @QueryParam("status") String status, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size) {
        if (blankToNull(service) != null) {
            caller.requireService(service);
        }
        DeploymentRepository.Page found = queries.list(blankToNull(service), caller.serviceScope(),
                blankToNull(environment), status(status), instant(from, "from"), instant(to, "to"), page, size);
        return new DeploymentPage(found.items().stream().map(DeploymentPage.Item::of).toList(), page, size,
                found.total());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Operation(summary = "A deployment's state, current step and step history")
    public DeploymentView get(@PathParam("id") String id) {
        DeploymentQueries.WithHistory w = queries.get(parse(id));
        caller.requireService(w.deployment().service);
        return view(w.deployment(), w.history());
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Operation(summary = "Follow a deployment live (Server-Sent Events)", description = "Each event is "
            + "'event: deployment' with the JSON of GET /api/v1/deployments/{id} as data: one at once, then one on "
            + "every change (status, current step, a step starting or completing, weight); the stream ends after "
            + "the event that shows a terminal state.")
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @Context Sse sse) {
        UUID uuid = parse(id);
        caller.requireService(queries.serviceOf(uuid));
        return stream.follow(uuid, sse);
    }

    @GET
    @Path("/{id}/report")
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Operation(summary = "The deployment metrics summary", description = "Total duration (target vs actual), "
            + "per-step durations, time at each traffic weight, detection-to-rollback and rollback duration, smoke "
            + "pass rate; 'figures' holds each runbook figure as target, actual and met (null: not measurable yet): "
            + "total duration, downtime, first-hour error rate, bake-window availability, detection to rollback, "
            + "smoke pass rate; 'override' an operator's override of the deployment policy.")
    public ReportCalculator.Report report(@PathParam("id") String id) {
        UUID uuid = parse(id);
        caller.requireService(queries.serviceOf(uuid));
        return reports.report(uuid);
    }

    @POST
    @Path("/{id}/approve")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Pass the go/no-go gate a deployment waits at (AWAITING_APPROVAL only)")
    public DeploymentView approve(@PathParam("id") String id, @Valid OperatorDecision decision) {
        UUID uuid = parse(id);
        caller.requireService(queries.serviceOf(uuid));
        operators.approve(uuid, caller.subject(), OperatorDecision.reasonOf(decision));
        return get(id);
    }

    @POST
    @Path("/{id}/abort")
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Operation(summary = "Stop a deployment for good; the target is left as it is")
    public DeploymentView abort(@PathParam("id") String id, @Valid OperatorDecision decision) {
        UUID uuid = parse(id);
        caller.requireService(queries.serviceOf(uuid));
        operators.abort(uuid, caller.subject(), OperatorDecision.reasonOf(decision));
        return get(id);
    }

    @POST
    @Path("/{id}/promote")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Skip the remaining steps and go to 100%")
    public DeploymentView promote(@PathParam("id") String id, @Valid OperatorDecision decision) {
        UUID uuid = parse(id);
        caller.requireService(queries.serviceOf(uuid));
        operators.promote(uuid, caller.subject(), OperatorDecision.reasonOf(decision));
        return get(id);
    }

    private static DeploymentView view(Deployment d, List<dev.rollwatch.deploy.domain.DeploymentStep> history) {
        return DeploymentView.of(d, DeploymentService.stepsOf(d), DeploymentService.analysisOf(d), history);
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("deployment", id);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static DeploymentStatus status(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return DeploymentStatus.valueOf(s.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-filter", "status '" + s + "' is not one of "
                    + java.util.Arrays.toString(DeploymentStatus.values()));
        }
    }

    private static Instant instant(String s, String name) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(s.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("invalid-filter", name + " '" + s + "' is not an RFC 3339 instant");
        }
    }
}
