package dev.rollwatch.notifier.rest;

import dev.rollwatch.notifier.service.RouteRequest;
import dev.rollwatch.notifier.service.RouteService;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import dev.rollwatch.platform.rest.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Notification routes: admin only (docs/security.md). */
@Path("/api/v1/routes")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "routes", description = "Which events go to which channels. Role admin.")
@APIResponse(responseCode = "401", description = ChannelResource.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE))
@APIResponse(responseCode = "403", description = "`forbidden`: the token has no `admin` role",
        content = @Content(mediaType = Problem.MEDIA_TYPE))
public class RouteResource {

    static final String NOT_FOUND = "`not-found`: no route of this name";
    static final String NAME = "The route's name";
    static final String BODY = " Body: `name`, `eventType` (a topic the notifier consumes: `threshold-breached`, "
            + "`rollback-requested`, `rollback-completed`, `deployment-started`, `deployment-finished`, "
            + "`rollback-escalated`, `rollback-decisions`, `step-completed`, `bake-checkpoints`, "
            + "`approval-requests`, `rollback-verifications`), `severity` (`P0`..`P3`), `service`, `environment` "
            + "(names: lowercase letters, digits, . _ -), each optional (omitted: any), and `channels` (1 to 20 "
            + "names). Channels need not exist yet: until they do (or while disabled) their alerts go to `log`. "
            + "The author is the token's subject (in the `route …` log line, `by=`).";
    static final String INVALID = "`unknown-event-type` (`eventType` not one of those the notifier consumes), "
            + "`validation` (a field fails its constraint: no name, a `service`/`environment` that is not a name, "
            + "an empty channel list; `errors[]` lists the fields), `malformed-body` (not JSON, a wrong value type "
            + "such as `severity: \"P9\"`, an unknown field)";

    private final RouteService routes;
    private final Caller caller;

    public RouteResource(RouteService routes, Caller caller) {
        this.routes = routes;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "All routes, the built-in runbook defaults first", description = "Role admin. Built-in "
            + "defaults first, then by name; each with `builtin`, `createdAt`, `updatedAt`.")
    @APIResponse(responseCode = "200", description = "Every route")
    public List<RouteView> list() {
        return routes.list().stream().map(RouteView::of).toList();
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One route", description = "Role admin.")
    @APIResponse(responseCode = "200", description = "The route")
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public RouteView get(@Parameter(description = NAME) @PathParam("name") String name) {
        return RouteView.of(routes.get(name));
    }

    @POST
    @Operation(summary = "Add a route: events matching eventType, severity, service and environment (each "
            + "optional) go to its channels", description = "Role admin." + BODY)
    @APIResponse(responseCode = "201", description = "The route (`Location`: `/api/v1/routes/{name}`)")
    @APIResponse(responseCode = "400", description = INVALID + "; nothing is stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "`route-exists`: the name is taken",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "413", description = ChannelResource.BODY_LIMITS,
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = ChannelResource.RATE_LIMITED,
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response create(@NotNull @Valid RouteRequest request, @Context UriInfo uri) {
        RouteView created = RouteView.of(routes.create(request, caller.subject()));
        return Response.created(uri.getAbsolutePathBuilder().path(created.name()).build()).entity(created).build();
    }

    @PUT
    @Path("/{name}")
    @Operation(summary = "Replace a route's match fields and channels", description = "Role admin. The same body "
            + "as a new route; the name comes from the path (a body `name` must equal it)." + BODY)
    @APIResponse(responseCode = "200", description = "The route as replaced")
    @APIResponse(responseCode = "400", description = "`name-mismatch` (the body names another route), " + INVALID
            + "; nothing changes", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "413", description = ChannelResource.BODY_LIMITS,
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = ChannelResource.RATE_LIMITED,
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public RouteView replace(@Parameter(description = NAME) @PathParam("name") String name, @NotNull @Valid RouteRequest request) {
        return RouteView.of(routes.replace(name, request, caller.subject()));
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Delete a route", description = "Role admin.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = ChannelResource.RATE_LIMITED,
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response delete(@Parameter(description = NAME) @PathParam("name") String name) {
        routes.delete(name, caller.subject());
        return Response.noContent().build();
    }
}
