package dev.rollwatch.audit.deadletter;

import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import dev.rollwatch.platform.rest.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * Dead letters for operators (issue 17, 4): list the DLQs, page through one, re-drive a record to its contract topic.
 * A record of any service may be in a DLQ, and many are not readable enough to say whose: only a token of every
 * service may use these endpoints (a scoped one gets 403 {@code forbidden-service}), like replays.
 */
@Path("/api/v1/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dead letters", description = "The dead-letter topics for operators: list, read (never a value), "
        + "re-drive a record to the contract topic it came from")
@APIResponse(responseCode = "401", description = "`unauthorized`: no valid bearer token (`WWW-Authenticate: Bearer`)",
        content = @Content(mediaType = Problem.MEDIA_TYPE))
@APIResponse(responseCode = "503", description = "`kafka-unavailable`: Kafka did not answer in time or refused the "
        + "tool's principal (its ACLs: docs/security.md, \"Dead letters\"); nothing was changed",
        content = @Content(mediaType = Problem.MEDIA_TYPE))
public class DeadLetterResource {

    private static final String FORBIDDEN_READ = "`forbidden`: the token has neither the `operator` nor the `admin` "
            + "role; `forbidden-service`: the token is limited to some services (a DLQ record of an unreadable "
            + "value cannot say whose it is)";

    private final DeadLetterService deadLetters;
    private final Caller caller;

    public DeadLetterResource(DeadLetterService deadLetters, Caller caller) {
        this.deadLetters = deadLetters;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "The dead-letter topics with their record counts",
            description = "Roles operator, admin (a token of every service). Each topic: partitions, records it holds "
                    + "now (end minus beginning offsets), how many were re-driven, and the topic it re-drives to "
                    + "(null: not re-drivable). Lists the DLQs Rollwatch provisions that exist on the cluster: "
                    + "`<contract topic>.dlq`, `metric-samples.dlq`, `audit-replay.dlq`.")
    @APIResponse(responseCode = "200", description = "Each DLQ: `topic`, `redrivesTo`, `partitions`, `records`, "
            + "`redriven`")
    @APIResponse(responseCode = "403", description = FORBIDDEN_READ, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public List<DeadLetterService.TopicSummary> topics() {
        requireEveryService();
        return deadLetters.topics();
    }

    @GET
    @Path("/{topic}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "One dead-letter topic's records: where each came from and why, never its value",
            description = "Roles operator, admin (a token of every service). In (partition, offset) order from "
                    + "`from` (`<partition>:<offset>`), at most `limit` (default 50, at most 200); `next` is the "
                    + "`from` of the next page, null at the end (a page may also end early after 10 s of "
                    + "reading). Each record: `partition`, `offset`, `timestamp`, `key`, `size` (bytes), its origin "
                    + "(`originalTopic` from the `dead-letter-topic` header, `originalPartition`, `originalOffset`), "
                    + "`reason` (`dead-letter-reason`) and `cause` (`dead-letter-cause`), each one line cut to 500 "
                    + "characters; when the value is a CloudEvent (`cloudEvent`) its `eventId`, `eventType`, "
                    + "`eventSource`, `subject`; `redrivenBy`/`redrivenAt` once re-driven. **Never the value.**")
    @APIResponse(responseCode = "200", description = "The page: `topic`, `redrivesTo`, `records`, `next`")
    @APIResponse(responseCode = "400", description = "`invalid-cursor` (`from` not `<partition>:<offset>`, or "
            + "negative), `invalid-limit` (`limit` outside 1..200)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = FORBIDDEN_READ, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = "`not-a-dead-letter-topic`: not a DLQ Rollwatch provisions; "
            + "`dead-letter-topic-not-found`: the DLQ does not exist on the cluster",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public DeadLetterService.Page records(
            @Parameter(description = "The dead-letter topic, e.g. `deployment-started.dlq`") @PathParam("topic")
            String topic,
            @Parameter(description = "Where to start: `<partition>:<offset>` (default the beginning of every "
                    + "partition); the `next` of the previous page") @QueryParam("from") String from,
            @Parameter(description = "At most this many records, 1 to 200 (default 50)") @QueryParam("limit")
            Integer limit) {
        requireEveryService();
        int size = limit == null ? DeadLetterService.DEFAULT_LIMIT : limit;
        if (size < 1 || size > DeadLetterService.MAX_LIMIT) {
            throw ProblemException.badRequest("invalid-limit", "limit must be between 1 and "
                    + DeadLetterService.MAX_LIMIT);
        }
        return deadLetters.page(topic, from, size);
    }

    @POST
    @Path("/{topic}/{partition}/{offset}/redrive")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Re-publish one dead letter to the contract topic it came from, once, with an audit entry",
            description = "Role operator (a token of every service). Only `<contract topic>.dlq` → `<contract topic>`"
                    + " (400 `not-redrivable`); the record must be a CloudEvent (422); a second re-drive of the "
                    + "record is 409 `already-redriven`; Kafka away is 503 and changes nothing. The destination "
                    + "is derived from the DLQ's name, never taken from the request (`metric-samples.dlq` and "
                    + "`audit-replay.dlq` are not re-driven). The record is sent with its key, value and headers "
                    + "unchanged, minus the `dead-letter-*` headers, plus `rollwatch-redriven-from: "
                    + "<dlq topic>-<partition>@<offset>`, by an idempotent `acks=all` producer; in the same "
                    + "transaction the re-drive is recorded and appended to the audit log as "
                    + "`dev.rollwatch.audit.dead-letter-redriven.v1` (source `/rollwatch/audit-service`, subject "
                    + "the event's id). `redrivenBy` is the token's subject.")
    @APIResponse(responseCode = "200", description = "What was done: `dlqTopic`, `partition`, `offset`, `topic`, "
            + "`toPartition`, `toOffset`, `eventId`, `eventType`, `redrivenBy`, `redrivenAt`, `auditPosition`, "
            + "`auditEventId`")
    @APIResponse(responseCode = "400", description = "`not-redrivable`: the topic is not `<contract topic>.dlq`",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = "`forbidden`: the token has no `operator` role (an admin may "
            + "list and read, not re-drive); `forbidden-service`: the token is limited to some services",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = "`dead-letter-not-found`: no record at that partition and "
            + "offset; `dead-letter-topic-not-found`: the DLQ does not exist on the cluster",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "`already-redriven`: the record was re-driven before "
            + "(extensions `redrivenBy`, `redrivenAt`, `auditPosition`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "422", description = "`not-redrivable`: the record is not a CloudEvent, its "
            + "`dead-letter-topic` header names another topic, or it breaks the topic's provenance (`IngestPolicy`); "
            + "nothing was changed", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = "`rate-limited`: too many changes from this identity "
            + "(`Retry-After`)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public DeadLetterService.Redriven redrive(
            @Parameter(description = "The dead-letter topic, `<contract topic>.dlq`") @PathParam("topic") String topic,
            @Parameter(description = "The record's partition") @PathParam("partition") int partition,
            @Parameter(description = "The record's offset") @PathParam("offset") long offset) {
        requireEveryService();
        return deadLetters.redrive(topic, partition, offset, caller.subject());
    }

    private void requireEveryService() {
        if (caller.serviceScope() != null) {
            throw new ProblemException(403, "forbidden-service", "Forbidden",
                    "dead letters cover every service: this token is limited to some services");
        }
    }
}
