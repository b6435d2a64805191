package dev.rollwatch.notifier.rest;

import dev.rollwatch.notifier.service.ChannelRequests;
import dev.rollwatch.notifier.service.ChannelService;
import dev.rollwatch.notifier.service.ChannelView;
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

/** Notification channels: admin only (docs/security.md). No response ever carries a secret. */
@Path("/api/v1/channels")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ChannelResource {

    private final ChannelService channels;
    private final Caller caller;

    public ChannelResource(ChannelService channels, Caller caller) {
        this.channels = channels;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "All channels (secrets are never shown)")
    public List<ChannelView> list() {
        return channels.list();
    }

    @GET
    @Path("/{name}")
    public ChannelView get(@PathParam("name") String name) {
        return channels.get(name);
    }

    @POST
    @Operation(summary = "Add a channel", description = "type webhook (url + whsec_ secret), slack (url), "
            + "pagerduty (secret = routing key; url optional), teams (Workflows url) or email (url = mailto:a@x,b@y). "
            + "http(s) URLs must pass the outbound policy.")
    public Response create(@NotNull @Valid ChannelRequests.CreateChannel request, @Context UriInfo uri) {
        ChannelView created = channels.create(request, caller.subject());
        return Response.created(uri.getAbsolutePathBuilder().path(created.name()).build()).entity(created).build();
    }

    @PUT
    @Path("/{name}")
    @Operation(summary = "Change a channel's url or secret, or enable / disable it")
    public ChannelView update(@PathParam("name") String name, @NotNull @Valid ChannelRequests.UpdateChannel request) {
        return channels.update(name, request, caller.subject());
    }

    @DELETE
    @Path("/{name}")
    public Response delete(@PathParam("name") String name) {
        channels.delete(name, caller.subject());
        return Response.noContent().build();
    }
}
