package dev.rollwatch.audit.rest;

import dev.rollwatch.audit.domain.Replay;
import dev.rollwatch.audit.repository.EntryFilter;
import dev.rollwatch.audit.service.ReplayService;
import dev.rollwatch.platform.rest.ProblemException;
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

/** Re-publish stored events, exactly as received and in log order, and follow the progress. */
@Path("/api/v1/audit/replays")
@Produces(MediaType.APPLICATION_JSON)
public class ReplayResource {

    private final ReplayService replays;

    public ReplayResource(ReplayService replays) {
        this.replays = replays;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(ReplayRequest body) {
        ReplayRequest request = body == null ? ReplayRequest.everything() : body;
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
        Replay replay = replays.request(filter, request.toPosition(), request.destination());
        return Response.accepted(ReplayView.of(replay))
                .location(URI.create("/api/v1/audit/replays/" + replay.id)).build();
    }

    @GET
    @Path("/{id}")
    public ReplayView progress(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("replay", id);
        }
        return replays.find(uuid).map(ReplayView::of).orElseThrow(() -> ProblemException.notFound("replay", id));
    }
}
