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
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

/** Notification routes: admin only (docs/security.md). */
@Path("/api/v1/routes")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RouteResource {

    private final RouteService routes;
    private final Caller caller;

    public RouteResource(RouteService routes, Caller caller) {
        this.routes = routes;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "All routes, the built-in runbook defaults first")
    public List<RouteView> list() {
        return routes.list().stream().map(RouteView::of).toList();
    }

    @GET
    @Path("/{name}")
    public RouteView get(@PathParam("name") String name) {
        return RouteView.of(routes.get(name));
    }

    @POST
    @Operation(summary = "Add a route: events matching eventType, severity, service and environment (each "
            + "optional) go to its channels")
    public Response create(@NotNull @Valid RouteRequest request, @Context UriInfo uri) {
        RouteView created = RouteView.of(routes.create(request, caller.subject()));
        return Response.created(uri.getAbsolutePathBuilder().path(created.name()).build()).entity(created).build();
    }

    @PUT
    @Path("/{name}")
    public RouteView replace(@PathParam("name") String name, @NotNull @Valid RouteRequest request) {
        return RouteView.of(routes.replace(name, request, caller.subject()));
    }

    @DELETE
    @Path("/{name}")
    public Response delete(@PathParam("name") String name) {
        routes.delete(name, caller.subject());
        return Response.noContent().build();
    }
}
