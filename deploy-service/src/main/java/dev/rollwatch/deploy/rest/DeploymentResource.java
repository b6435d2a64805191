package dev.rollwatch.deploy.rest;

import dev.rollwatch.deploy.domain.Deployment;
import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.report.ReportService;
import dev.rollwatch.deploy.repository.DeploymentRepository;
import dev.rollwatch.deploy.service.DeploymentQueries;
import dev.rollwatch.deploy.service.DeploymentRequests;
import dev.rollwatch.deploy.service.DeploymentService;
import dev.rollwatch.deploy.service.ObjectOwners;
import dev.rollwatch.deploy.service.OperatorService;
import dev.rollwatch.deploy.service.ReportCalculator;
import dev.rollwatch.platform.rest.Problem;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import dev.rollwatch.platform.security.ServiceScoped;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Deployments: start, list, read, follow, and the operators' decisions. The OpenAPI annotations are the API's
 * contract (served at /q/openapi and /q/swagger-ui); the README only lists the endpoints.
 */
@Path("/api/v1/deployments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = DeploymentResource.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE))
public class DeploymentResource {

    static final String UNAUTHORIZED = "`unauthorized`: no valid bearer token (none, or one that is expired, signed "
            + "by another key, or for another issuer or audience); `WWW-Authenticate: Bearer`";
    static final String FORBIDDEN_SERVICE = "`forbidden-service`: the token's `services` claim does not allow the "
            + "deployment's service";
    static final String NOT_FOUND = "`not-found`: no deployment with this id (an id that is not a UUID included)";
    static final String ID = "The deployment's id (a UUID)";
    static final String DECISION_BODY = "`malformed-body` (not JSON, an unknown field, a value of the wrong type), "
            + "`validation` (`reason` over 2000 characters)";
    static final String RATE_LIMITED = "`rate-limited`: too many changes from this identity (a burst of 60, then "
            + "10/s by default: `rollwatch.security.rate-limit.*`); `Retry-After` says when to retry";
    static final String TOO_LARGE = "`body-too-large`: the body is over 1 MiB";
    static final String LENGTH_REQUIRED = "`length-required`: a chunked body without Content-Length";
    static final String WHO = " Who acted is the token's subject, never a body field.";

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
    @Operation(summary = "Start a deployment", description = "Role deployer, for the request's service. Accepted "
            + "deployments run asynchronously; poll GET or follow the events. A retried POST with the same "
            + "Idempotency-Key returns the first deployment (200). `requestedBy` is the token's subject.\n\n"
            + "`target`: with a registered target for the service and environment it may be left out, and if given "
            + "its `url` and `metricsUrl` must be the registered ones; without one (only where "
            + "`rollwatch.deploy.targets.require-registration=false`) the request names its own `target.url`. "
            + "`target.metricsUrl` defaults to `target.url` + `/metrics`; `target.type` must be `http`; a target URL "
            + "may carry no user info, query or fragment. Every URL of an unregistered deployment (target, metrics, "
            + "smoke checks) is checked against the outbound policy for the deployment's environment. "
            + "`previousVersion` defaults to the last version of that service and environment that finished "
            + "SUCCEEDED. `DeploymentStarted` carries the resolved target and metrics URLs.\n\n"
            + "Steps: exactly one of `setWeight` (0-100, strictly increasing along the strategy), `smoke` (`checks`: "
            + "url, method, expectStatus, bodyContains, timeout, retries, `headers`, `expectHeaders`, `expectJson`), "
            + "`analysis` (`duration`, `criteria`: the step's own success criteria, written like `analysis.checks`, "
            + "`name` defaulting to `step<index>-<metric>`), `pause` (`duration`, or `{}` for an open-ended go/no-go "
            + "gate). Durations: `500ms`, `30s`, `2m`, `1h`, `2d` or ISO-8601 (`PT2M`), at most 7 days; a smoke "
            + "check's `timeout` above 0 and at most `30s`. Smoke `headers` may hold `${secret:NAME}` references, "
            + "resolved only when the check is sent (`rollwatch.deploy.smoke-secrets.NAME` or env "
            + "`ROLLWATCH_SMOKE_SECRET_<NAME>`); an `Authorization` or `Proxy-Authorization` value must be such a "
            + "reference (with an optional scheme word such as `Bearer`). `strategy.onFailure`: `rollback` (default) "
            + "or `stepBack`; `strategy.afterStepBack`: `pause` (default) or `continue` (only with `stepBack`); "
            + "`bakeWindow` (above 0, at most `7d`; absent: the monitor's default). No strategy (or no steps): the "
            + "runbooks' default strategy. `version` and `previousVersion` are letters, digits and `. _ + -`; a smoke "
            + "URL is at most 2048 characters and a duration string at most 32.\n\n"
            + "One deployment at a time per service and environment. The deployment policy of the service and "
            + "environment is checked after the idempotency key and that rule; `override: {reason}` lets an operator "
            + "start anyway (stored on the deployment and carried in `DeploymentStarted.override`).")
    @APIResponse(responseCode = "202", description = "Started: the deployment (`Location` names it); emits "
            + "`DeploymentStarted`")
    @APIResponse(responseCode = "200", description = "A retry with an Idempotency-Key already used: the first "
            + "deployment, nothing new started")
    @APIResponse(responseCode = "400", description = "`malformed-body` (not JSON, an unknown field such as "
            + "`requestedBy`, a misspelt step kind, a value of the wrong type; names the field), `validation` (a "
            + "missing or over-long field, an over-long smoke URL or duration string), `invalid-strategy`, "
            + "`invalid-duration`, `invalid-analysis`, `invalid-smoke-check`, `invalid-target` (an unknown "
            + "`target.type`; a target URL with user info, a query or a fragment), `unknown-secret` (a "
            + "`${secret:NAME}` that is not configured), `literal-credential` (an `Authorization` header that is not "
            + "a secret reference; the value is not echoed), `destination-refused` (a URL the outbound policy "
            + "refuses; with `field`), `target-not-registered` (no registered target for the service and "
            + "environment, where registration is required, or none and no `target.url`), `unregistered-url` (a "
            + "target, metrics or smoke URL outside the registration; with `field`). Nothing is stored.",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = "`forbidden` (no deployer role), " + FORBIDDEN_SERVICE
            + " (also when the Idempotency-Key names another service's deployment), `override-forbidden` (an "
            + "`override` without the operator role)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "`deployment-in-progress` (another deployment of the service "
            + "and environment is active; `runningDeploymentId` when known); a deployment policy rule: "
            + "`environment-order` (with `requiredEnvironment`, `version`, `minAge`, `succeededAt`, `allowedFrom`) "
            + "or `outside-deployment-window` (with `windows` and/or `freeze`, and `nextOpening`), each also with "
            + "`policy` (`service/environment vN`) and `violations` (every broken rule)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "411", description = LENGTH_REQUIRED, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "413", description = TOO_LARGE + "; `event-too-large` (with `eventBytes`, "
            + "`limitBytes`): the `DeploymentStarted` event would be over the outbox producer's `max.request.size` "
            + "less 8 KiB; nothing is stored", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = RATE_LIMITED, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response create(@NotNull @Valid DeploymentRequests.CreateDeployment request,
            @Parameter(description = "Makes retries safe: a POST with a key already used answers 200 with the "
                    + "deployment it started (at most 200 characters)")
            @HeaderParam("Idempotency-Key") @Size(max = 200) String idempotencyKey, @Context UriInfo uri) {
        caller.requireService(request.service());
        // Read once, before the deployment is created: checked again below without asking for the identity a second
        // time after the effect (twice in CI a check there saw no identity and answered 403 for a deployment it had
        // started; the cause is not found).
        Set<String> scope = caller.serviceScope();
        if (request.override() != null && !caller.hasRole(Roles.OPERATOR)) {
            throw new ProblemException(403, "override-forbidden", "Forbidden",
                    "only an operator may override the deployment policy (environment order, windows, freezes)");
        }
        DeploymentService.Created created = deployments.create(request, idempotencyKey, caller.subject());
        Deployment d = created.deployment();
        // An idempotent hit must not hand out another service's deployment: the same answer as requireService, from
        // the scope read before the effect.
        if (scope != null && !scope.contains(d.service)) {
            throw new ProblemException(403, "forbidden-service", "Forbidden",
                    "this token does not allow acting on service '" + d.service + "'");
        }
        return Response.status(created.isNew() ? Response.Status.ACCEPTED : Response.Status.OK)
                .location(uri.getAbsolutePathBuilder().path(d.id.toString()).build())
                .entity(view(d, List.of())).build();
    }

    @GET
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Operation(summary = "List deployments", description = "Roles deployer, operator. Filters are optional; "
            + "from/to bound the creation time (RFC 3339, to exclusive). Newest first: `{items, page, size, total}` "
            + "(`total` counts every match). Only the services the caller may see are listed.")
    @APIResponse(responseCode = "200", description = "One page of deployments")
    @APIResponse(responseCode = "400", description = "`invalid-filter` (`status` not a deployment status, "
            + "`from`/`to` not an RFC 3339 instant), `validation` (`page` below 0, `size` outside 1-200)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = "`forbidden` (neither deployer nor operator), "
            + "`forbidden-service` (`service` is not one the token allows)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public DeploymentPage list(
            @Parameter(description = "Only this service") @QueryParam("service") String service,
            @Parameter(description = "Only this environment") @QueryParam("environment") String environment,
            @Parameter(description = "Only this status (PENDING, RUNNING, AWAITING_APPROVAL, PAUSED, ROLLING_BACK, SUCCEEDED, "
                    + "ROLLED_BACK, ROLLBACK_FAILED, ABORTED, FAILED; case-insensitive)")
            @QueryParam("status") String status,
            @Parameter(description = "Created at or after this RFC 3339 instant") @QueryParam("from") String from,
            @Parameter(description = "Created before this RFC 3339 instant (exclusive)") @QueryParam("to") String to,
            @Parameter(description = "Page number, from 0") @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @Parameter(description = "Page size, 1-200") @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200)
            int size) {
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
    @ServiceScoped(kind = ObjectOwners.DEPLOYMENT, param = "id")
    @Operation(summary = "A deployment's state, current step and step history", description = "Roles deployer, "
            + "operator. The status, `currentStep`, `currentWeight`, the plan (`steps`) and the step `history` "
            + "(times, status, deadline, detail, approver, smoke counts).")
    @APIResponse(responseCode = "200", description = "The deployment")
    @APIResponse(responseCode = "403", description = "`forbidden` (neither deployer nor operator), "
            + FORBIDDEN_SERVICE, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public DeploymentView get(@Parameter(description = ID) @PathParam("id") String id) {
        return current(parse(id));
    }

    /**
     * The deployment as it stands, for an operator action's answer. Not {@link #get}: that is itself an endpoint
     * (roles, service scope), and calling it from an action would check the caller a second time after the action
     * was done — a check that, failing there, answered 401 for an abort that had happened (seen once in CI).
     */
    private DeploymentView current(UUID id) {
        DeploymentQueries.WithHistory w = queries.get(id);
        return view(w.deployment(), w.history());
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @ServiceScoped(kind = ObjectOwners.DEPLOYMENT, param = "id")
    @Operation(summary = "Follow a deployment live (Server-Sent Events)", description = "Each event is "
            + "'event: deployment' with the JSON of GET /api/v1/deployments/{id} as data: one at once, then one on "
            + "every change (status, current step, a step starting or completing, weight); the stream ends after "
            + "the event that shows a terminal state (SUCCEEDED, ROLLED_BACK, ROLLBACK_FAILED, ABORTED, FAILED), so a "
            + "finished deployment gives one event. Changes committed in one transaction arrive as one event; a "
            + "change made by another replica arrives within `rollwatch.deploy.events.recheck`. Roles deployer, "
            + "operator.")
    @APIResponse(responseCode = "200", description = "The stream",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS))
    @APIResponse(responseCode = "403", description = "`forbidden` (neither deployer nor operator), "
            + FORBIDDEN_SERVICE, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Multi<OutboundSseEvent> events(@Parameter(description = ID) @PathParam("id") String id,
            @Context Sse sse) {
        UUID uuid = parse(id);
        return stream.follow(uuid, sse);
    }

    @GET
    @Path("/{id}/report")
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @ServiceScoped(kind = ObjectOwners.DEPLOYMENT, param = "id")
    @Operation(summary = "The deployment metrics summary", description = "Total duration (target vs actual), "
            + "per-step durations, time at each traffic weight, detection-to-rollback and rollback duration, smoke "
            + "pass rate; 'figures' holds each runbook figure as target, actual and met (null: not measurable yet): "
            + "total duration, downtime, first-hour error rate, bake-window availability, detection to rollback, "
            + "smoke pass rate; 'override' an operator's override of the deployment policy (`by`, `reason`, "
            + "`overridden`). Roles deployer, operator.")
    @APIResponse(responseCode = "200", description = "The report")
    @APIResponse(responseCode = "403", description = "`forbidden` (neither deployer nor operator), "
            + FORBIDDEN_SERVICE, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public ReportCalculator.Report report(@Parameter(description = ID) @PathParam("id") String id) {
        UUID uuid = parse(id);
        return reports.report(uuid);
    }

    @POST
    @Path("/{id}/approve")
    @RolesAllowed(Roles.OPERATOR)
    @ServiceScoped(kind = ObjectOwners.DEPLOYMENT, param = "id")
    @Operation(summary = "Pass the go/no-go gate a deployment waits at (AWAITING_APPROVAL only)", description = "Role "
            + "operator. Optional body `{\"reason\"}`. After a step back, approve retries the failed phase. Emits "
            + "`ApprovalGranted`. Not by whoever requested the deployment (unless "
            + "`rollwatch.deploy.approvals.allow-self-approval=true`): another operator must." + WHO)
    @APIResponse(responseCode = "200", description = "The deployment after the approval")
    @APIResponse(responseCode = "400", description = DECISION_BODY, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = "`forbidden` (no operator role), " + FORBIDDEN_SERVICE
            + ", `self-approval` (the requester of the deployment; nothing changes)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "`illegal-transition` (with the current `status`): the "
            + "deployment is not AWAITING_APPROVAL; nothing changes", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = RATE_LIMITED, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public DeploymentView approve(@Parameter(description = ID) @PathParam("id") String id,
            @Valid OperatorDecision decision) {
        UUID uuid = parse(id);
        operators.approve(uuid, caller.subject(), OperatorDecision.reasonOf(decision));
        return current(uuid);
    }

    @POST
    @Path("/{id}/abort")
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @ServiceScoped(kind = ObjectOwners.DEPLOYMENT, param = "id")
    @Operation(summary = "Stop a deployment for good; the target is left as it is", description = "Roles deployer, "
            + "operator; the requester may abort their own deployment. Optional body `{\"reason\"}`. Emits "
            + "`DeploymentAborted`, then `DeploymentFinished(ABORTED)`. Waits for a target call of this replica in "
            + "flight to finish. To get the old version back, ask the rollback service for a rollback." + WHO)
    @APIResponse(responseCode = "200", description = "The deployment, ABORTED")
    @APIResponse(responseCode = "400", description = DECISION_BODY, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = "`forbidden` (neither deployer nor operator), "
            + FORBIDDEN_SERVICE, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "`illegal-transition` (with the current `status`): the "
            + "deployment already ended or is ROLLING_BACK", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = RATE_LIMITED, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public DeploymentView abort(@Parameter(description = ID) @PathParam("id") String id,
            @Valid OperatorDecision decision) {
        UUID uuid = parse(id);
        operators.abort(uuid, caller.subject(), OperatorDecision.reasonOf(decision));
        return current(uuid);
    }

    @POST
    @Path("/{id}/promote")
    @RolesAllowed(Roles.OPERATOR)
    @ServiceScoped(kind = ObjectOwners.DEPLOYMENT, param = "id")
    @Operation(summary = "Skip the remaining steps and go to 100%", description = "Role operator; RUNNING, "
            + "AWAITING_APPROVAL or PAUSED only. Optional body `{\"reason\"}`. Closes the open step as SKIPPED, runs "
            + "one extra `setWeight 100` step, finalizes the target and finishes SUCCEEDED. Not by whoever requested "
            + "the deployment (unless `rollwatch.deploy.approvals.allow-self-approval=true`)." + WHO)
    @APIResponse(responseCode = "200", description = "The deployment after the promotion")
    @APIResponse(responseCode = "400", description = DECISION_BODY, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = "`forbidden` (no operator role), " + FORBIDDEN_SERVICE
            + ", `self-approval` (the requester of the deployment; nothing changes)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "`illegal-transition` (with the current `status`: not RUNNING, "
            + "AWAITING_APPROVAL or PAUSED), `already-promoted`", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = RATE_LIMITED, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public DeploymentView promote(@Parameter(description = ID) @PathParam("id") String id,
            @Valid OperatorDecision decision) {
        UUID uuid = parse(id);
        operators.promote(uuid, caller.subject(), OperatorDecision.reasonOf(decision));
        return current(uuid);
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
