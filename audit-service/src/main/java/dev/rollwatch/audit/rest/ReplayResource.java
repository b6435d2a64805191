package dev.rollwatch.audit.rest;

import dev.rollwatch.audit.domain.Replay;
import dev.rollwatch.audit.repository.EntryFilter;
import dev.rollwatch.audit.service.ReplayService;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Re-publish stored events, exactly as received and in log order, and follow the progress. Auditors only: a replay
 * changes no state (it re-publishes to a replay topic, with the replay header side-effecting consumers skip); the
 * requester recorded is the token's subject.
 */
@Path("/api/v1/audit/replays")
@RolesAllowed(Roles.AUDITOR)
@Produces(MediaType.APPLICATION_JSON)
public class ReplayResource {

    private static final Pattern CRITERION = Pattern.compile("[A-Za-z0-9._:/@+~=-]{1,255}");

    private final ReplayService replays;
    private final Caller caller;

    public ReplayResource(ReplayService replays, Caller caller) {
        this.replays = replays;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(ReplayRequest body) {
        requireEveryService();
        ReplayRequest request = body == null ? ReplayRequest.everything() : body;
        checkCriterion("deploymentId", request.deploymentId());
        checkCriterion("type", request.type());
        checkCriterion("source", request.source());
        long fromPosition = request.fromPosition() == null ? 1 : request.fromPosition();
        if (fromPosition < 1) {
            throw ProblemException.badRequest("invalid-range",
                    "fromPosition must be 1 or more, was " + fromPosition);
        }
        if (request.toPosition() != null && request.toPosition() < fromPosition) {
            throw ProblemException.badRequest("invalid-range",
                    "toPosition (" + request.toPosition() + ") is before fromPosition (" + fromPosition + ")");
        }
        EntryFilter filter = AuditResource.filter(request.deploymentId(), request.type(), request.source(),
                request.from(), request.to(), fromPosition - 1);
        Replay replay = replays.request(filter, request.toPosition(), request.destination(),
                caller.subject());
        return Response.accepted(ReplayView.of(replay))
                .location(URI.create("/api/v1/audit/replays/" + replay.id)).build();
    }

    /**
     * A replay re-publishes to a topic whose readers are not scoped, and runs after the request on a worker: only an
     * auditor of every service may ask for one or read its progress. A scoped auditor gets 403 forbidden-service.
     */
    private void requireEveryService() {
        if (caller.serviceScope() != null) {
            throw new ProblemException(403, "forbidden-service", "Forbidden",
                    "replays cover every service: this token is limited to some services");
        }
    }

    /**
     * A replay stores its criteria: they must look like what Rollwatch's events carry (a deployment id, a CloudEvents
     * type, a source path), at most 255 characters.
     */
    private static void checkCriterion(String name, String value) {
        if (value != null && !value.isEmpty() && !CRITERION.matcher(value).matches()) {
            throw ProblemException.badRequest("invalid-criterion", name + " must be 1 to 255 letters, digits and "
                    + ". _ - : / @ + ~ =");
        }
    }

    @GET
    @Path("/{id}")
    public ReplayView progress(@PathParam("id") String id) {
        requireEveryService();
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("replay", id);
        }
        return replays.find(uuid).map(ReplayView::of).orElseThrow(() -> ProblemException.notFound("replay", id));
    }
}
