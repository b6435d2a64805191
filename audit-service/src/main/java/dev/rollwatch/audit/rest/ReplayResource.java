package dev.rollwatch.audit.rest;

import dev.rollwatch.audit.domain.Replay;
import dev.rollwatch.audit.repository.EntryFilter;
import dev.rollwatch.audit.service.ReplayService;
import dev.rollwatch.platform.rest.Problem;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

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
@Tag(name = "replays", description = "Re-publish stored events, exactly as received, to a replay topic")
@APIResponse(responseCode = "401", description = "`unauthorized`: no valid bearer token (`WWW-Authenticate: Bearer`)",
        content = @Content(mediaType = Problem.MEDIA_TYPE))
@APIResponse(responseCode = "403", description = "`forbidden`: the token has no `auditor` role; "
        + "`forbidden-service`: the token is limited to some services (replays cover every service)",
        content = @Content(mediaType = Problem.MEDIA_TYPE))
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
    @Operation(summary = "Start a replay of stored events to a replay topic",
            description = "Role auditor of every service. Every body field is optional (no body: the whole log): "
                    + "`deploymentId`, `type`, `source` (1 to 255 letters, digits and `. _ - : / @ + ~ =`), "
                    + "`fromPosition`/`toPosition` (inclusive; `toPosition` defaults to the head now), `from`/`to` "
                    + "(ISO-8601 instants bounding the event's `time`), `destination` (`audit-replay`, the default, "
                    + "or `audit-replay.<name>`). Records keep the stored bytes and carry the header "
                    + "`rollwatch-replay: true`, which side-effecting consumers skip. Runs on a worker: follow the "
                    + "Location. `requestedBy` is the token's subject; the body cannot name anyone. Each record: value "
                    + "= the stored bytes, key = the event's `subject`, headers `rollwatch-replay: true`, "
                    + "`rollwatch-replay-id`, `rollwatch-audit-position`, `content-type: "
                    + "application/cloudevents+json`; an idempotent `acks=all` producer, so one partition (one "
                    + "deployment) receives its events in log order. Replay topics only: a contract or input topic, "
                    + "a dead-letter topic (`*.dlq`), a Kafka internal topic (`__*`) or any name outside the prefix "
                    + "is refused and nothing is created; a missing `audit-replay.<name>` is created with the "
                    + "contract's partition count. Replays run one at a time on a worker thread.")
    @APIResponse(responseCode = "202", description = "The replay, stored and started (status `PENDING`)",
            headers = @Header(name = "Location", description = "`/api/v1/audit/replays/{id}`",
                    schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "`invalid-criterion` (`deploymentId`, `type` or `source`), "
            + "`invalid-range` (`fromPosition` < 1 or `toPosition` < `fromPosition`), `range-beyond-head` "
            + "(`toPosition` beyond the last position; extension `head`), `invalid-destination` (not "
            + "`audit-replay` or `audit-replay.<name>`), " + AuditResource.FILTERS + ", `malformed-body` (not JSON, "
            + "a wrong value type, an unknown field); nothing is stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "411", description = "`length-required`: a body without `Content-Length`",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "413", description = "`body-too-large`: the body is over "
            + "`quarkus.http.limits.max-body-size` (1 MiB)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = "`rate-limited`: too many requests from this identity "
            + "(`Retry-After`)", content = @Content(mediaType = Problem.MEDIA_TYPE))
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
    @Operation(summary = "A replay's progress", description = "Role auditor of every service. `status` `PENDING`, "
            + "`RUNNING`, `COMPLETED` or `FAILED` (with `error`); `published` of `total` acknowledged by the broker, "
            + "up to `lastPosition`; `startedAt`, `finishedAt`. Poll it until `COMPLETED`. A replay interrupted by a "
            + "restart resumes after `lastPosition` when the service starts again (at least once: records sent but "
            + "not yet acknowledged may arrive twice, with the same CloudEvents ids).")
    @APIResponse(responseCode = "200", description = "The replay")
    @APIResponse(responseCode = "404", description = "`not-found`: no replay with this id",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public ReplayView progress(@Parameter(description = "The replay id (a UUID)")
            @PathParam("id") String id) {
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
