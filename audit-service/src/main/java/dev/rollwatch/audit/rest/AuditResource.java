package dev.rollwatch.audit.rest;

import dev.rollwatch.audit.config.AuditConfig;
import dev.rollwatch.audit.domain.StoredEntry;
import dev.rollwatch.audit.repository.AuditLogRepository;
import dev.rollwatch.audit.repository.EntryFilter;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.audit.service.ChainVerifier;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Query and verify the audit log. Read-only: nothing here can change an entry. Auditors only. */
@Path("/api/v1/audit")
@RolesAllowed(Roles.AUDITOR)
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final AuditLogRepository log;
    private final ChainVerifier verifier;
    private final AuditConfig config;
    private final Caller caller;

    public AuditResource(AuditLogRepository log, ChainVerifier verifier, AuditConfig config, Caller caller) {
        this.log = log;
        this.verifier = verifier;
        this.config = config;
        this.caller = caller;
    }

    @GET
    @Path("/events")
    public EventPage events(@QueryParam("deploymentId") String deploymentId, @QueryParam("type") String type,
            @QueryParam("source") String source, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("after") Long after, @QueryParam("limit") Integer limit) {
        int pageSize = limit == null ? config.defaultLimit() : limit;
        if (pageSize < 1 || pageSize > config.maxLimit()) {
            throw ProblemException.badRequest("invalid-limit",
                    "limit must be between 1 and " + config.maxLimit() + ", was " + pageSize);
        }
        EntryFilter filter = filter(deploymentId, type, source, from, to, after).scopedTo(caller.serviceScope());
        List<EntryView> entries = log.find(filter, pageSize).stream().map(EntryView::of).toList();
        Long nextAfter = entries.size() == pageSize ? entries.get(entries.size() - 1).position() : null;
        return new EventPage(entries, nextAfter);
    }

    /** The exact bytes of one entry, as received: what {@code entry_hash} covers. */
    @GET
    @Path("/events/{position}/raw")
    @Produces(EventCodec.CONTENT_TYPE)
    public Response raw(@PathParam("position") long position) {
        StoredEntry entry = log.at(position, caller.serviceScope())
                .orElseThrow(() -> ProblemException.notFound("audit entry at position", Long.toString(position)));
        return Response.ok(entry.payload(), EventCodec.CONTENT_TYPE).build();
    }

    /**
     * Any auditor, a scoped one too: the report carries positions, counts and hashes, never an entry's content, and
     * the chain can only be checked whole.
     */
    @GET
    @Path("/verify")
    public ChainVerifier.Report verify(@QueryParam("from") Long from, @QueryParam("to") Long to) {
        return verifier.verify(from, to);
    }

    static EntryFilter filter(String deploymentId, String type, String source, String from, String to,
            Long after) {
        if (after != null && after < 0) {
            throw ProblemException.badRequest("invalid-cursor", "after must be a position of 0 or more, was " + after);
        }
        Instant fromTime = instant("from", from);
        Instant toTime = instant("to", to);
        if (fromTime != null && toTime != null && !toTime.isAfter(fromTime)) {
            throw ProblemException.badRequest("invalid-time-range", "to (" + to + ") must be after from (" + from + ")");
        }
        return new EntryFilter(blankToNull(deploymentId), blankToNull(type), blankToNull(source), fromTime, toTime,
                after == null ? 0 : after);
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("invalid-time",
                    name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, was '" + value + "'");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
