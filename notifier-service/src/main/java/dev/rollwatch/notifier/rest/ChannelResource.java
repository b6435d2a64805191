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
import dev.rollwatch.platform.rest.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Notification channels: admin only (docs/security.md). No response ever carries a secret. */
@Path("/api/v1/channels")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "channels", description = "Where notifications go: webhook, slack, pagerduty, teams, email and the "
        + "built-in log. Role admin. No response carries a secret or a URL that is a credential.")
@APIResponse(responseCode = "401", description = ChannelResource.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE))
@APIResponse(responseCode = "403", description = "`forbidden`: the token has no `admin` role",
        content = @Content(mediaType = Problem.MEDIA_TYPE))
public class ChannelResource {

    static final String UNAUTHORIZED = "`unauthorized`: no bearer token, or one that is expired, signed by another "
            + "key or for another audience (`WWW-Authenticate: Bearer`)";
    static final String NOT_FOUND = "`not-found`: no channel of this name";
    static final String NAME = "The channel's name";
    static final String VIEW = " A channel: `name`, `type`, `url` (a URL that is a credential — Slack, Teams — "
            + "as scheme + host only), `hasSecret` (the secret itself is never returned), `enabled`, "
            + "`disabledReason`, `builtin`, `createdAt`, `updatedAt`.";
    static final String BODY_LIMITS = "`body-too-large`: a body over `quarkus.http.limits.max-body-size` (1 MiB)";
    static final String RATE_LIMITED = "`rate-limited`: too many changes from this identity (`Retry-After`)";
    static final String CHECKS = "`unknown-channel-type` (type not `webhook`, `slack`, `pagerduty`, `teams` or "
            + "`email`), `missing-url` (a webhook, slack, teams or email channel without `url`), "
            + "`invalid-destination` (an email channel's `url` not `mailto:` + 1–20 addresses), "
            + "`destination-refused` (the URL fails the outbound policy: scheme, https, internal address, metadata), "
            + "`missing-secret` / `invalid-secret` (webhook or pagerduty without a secret / a webhook secret not "
            + "`whsec_` + base64 of ≥ 16 bytes, a routing key not 32 letters and digits), `unexpected-secret` (a "
            + "secret for a channel type that takes none)";
    static final String MALFORMED = "`malformed-body` (not JSON, a wrong value type, an unknown field such as "
            + "`createdBy`), `validation` (a field fails its constraint, e.g. a name that is not lowercase "
            + "letters, digits, . _ -; `errors[]` lists the fields)";

    private final ChannelService channels;
    private final Caller caller;

    public ChannelResource(ChannelService channels, Caller caller) {
        this.channels = channels;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "All channels (secrets are never shown)", description = "Role admin." + VIEW)
    @APIResponse(responseCode = "200", description = "Every channel, the built-in `log` included")
    public List<ChannelView> list() {
        return channels.list();
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One channel (its secret is never shown)", description = "Role admin." + VIEW)
    @APIResponse(responseCode = "200", description = "The channel")
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public ChannelView get(@Parameter(description = NAME) @PathParam("name") String name) {
        return channels.get(name);
    }

    @POST
    @Operation(summary = "Add a channel", description = "type webhook (url + whsec_ secret), slack (url), "
            + "pagerduty (secret = routing key; url optional), teams (Workflows url) or email (url = mailto:a@x,b@y). "
            + "http(s) URLs must pass the outbound policy. Role admin; the author is the token's subject (in the "
            + "`channel …` log line, `by=`), the body names nobody. A pagerduty channel without url sends to "
            + "`rollwatch.notifier.pagerduty.events-url`. Secrets are stored sealed (`SecretBox`)." + VIEW)
    @APIResponse(responseCode = "201", description = "The channel (`Location`: `/api/v1/channels/{name}`)")
    @APIResponse(responseCode = "400", description = CHECKS + ", " + MALFORMED + "; nothing is stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "`channel-exists`: the name is taken",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "413", description = BODY_LIMITS, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = RATE_LIMITED, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response create(@NotNull @Valid ChannelRequests.CreateChannel request, @Context UriInfo uri) {
        ChannelView created = channels.create(request, caller.subject());
        return Response.created(uri.getAbsolutePathBuilder().path(created.name()).build()).entity(created).build();
    }

    @PUT
    @Path("/{name}")
    @Operation(summary = "Change a channel's url or secret, or enable / disable it", description = "Role admin. "
            + "`{\"url\"?, \"secret\"?, \"enabled\"?}`: omitted fields stay; validated like a new channel; "
            + "`enabled: true` re-enables a channel (also one a receiver's 410 disabled). A new `url` of a webhook "
            + "or pagerduty channel needs its `secret` too (the secret goes wherever the url points)." + VIEW)
    @APIResponse(responseCode = "200", description = "The channel as changed")
    @APIResponse(responseCode = "400", description = "`secret-required` (a new url of a webhook or pagerduty "
            + "channel without `secret`), " + CHECKS + ", " + MALFORMED + "; nothing changes",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "`builtin-channel`: `log` cannot be changed",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "413", description = BODY_LIMITS, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = RATE_LIMITED, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public ChannelView update(@Parameter(description = NAME) @PathParam("name") String name, @NotNull @Valid ChannelRequests.UpdateChannel request) {
        return channels.update(name, request, caller.subject());
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Delete a channel", description = "Role admin. Routes naming it send to `log` from then "
            + "on.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "`builtin-channel`: `log` cannot be deleted",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = RATE_LIMITED, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response delete(@Parameter(description = NAME) @PathParam("name") String name) {
        channels.delete(name, caller.subject());
        return Response.noContent().build();
    }
}
