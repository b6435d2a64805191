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
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

/**
 * Dead letters for operators (issue 17, 4): list the DLQs, page through one, re-drive a record to its contract topic.
 * A record of any service may be in a DLQ, and many are not readable enough to say whose: only a token of every
 * service may use these endpoints (a scoped one gets 403 {@code forbidden-service}), like replays.
 */
@Path("/api/v1/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

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
                    + "(null: not re-drivable).")
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
                    + "`from` of the next page, null at the end.")
    public DeadLetterService.Page records(@PathParam("topic") String topic, @QueryParam("from") String from,
            @QueryParam("limit") Integer limit) {
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
                    + "record is 409 `already-redriven`; Kafka away is 503 and changes nothing.")
    public DeadLetterService.Redriven redrive(@PathParam("topic") String topic, @PathParam("partition") int partition,
            @PathParam("offset") long offset) {
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
