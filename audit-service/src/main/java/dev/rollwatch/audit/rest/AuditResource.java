package dev.rollwatch.audit.rest;

import dev.rollwatch.audit.config.AuditConfig;
import dev.rollwatch.audit.domain.StoredEntry;
import dev.rollwatch.audit.repository.AuditLogRepository;
import dev.rollwatch.audit.repository.EntryFilter;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.audit.service.ChainVerifier;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.platform.rest.Problem;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Query and verify the audit log. Read-only: nothing here can change an entry. Auditors only. */
@Path("/api/v1/audit")
@RolesAllowed(Roles.AUDITOR)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = AuditResource.TAG, description = "The hash-chained audit log: query, raw entries, export, verify")
@APIResponse(responseCode = "401", description = "`unauthorized`: no valid bearer token (`WWW-Authenticate: Bearer`)",
        content = @Content(mediaType = Problem.MEDIA_TYPE))
@APIResponse(responseCode = "403", description = "`forbidden`: the token has no `auditor` role",
        content = @Content(mediaType = Problem.MEDIA_TYPE))
public class AuditResource {

    static final String TAG = "audit log";
    static final String FILTERS = "`invalid-cursor` (`after` negative), `invalid-time` (`from`/`to` not an "
            + "ISO-8601 instant), `invalid-time-range` (`to` not after `from`)";
    static final String DEPLOYMENT_ID = "Only the events about this deployment (the CloudEvents `subject`)";
    static final String TYPE = "Only events of this CloudEvents type, e.g. `dev.rollwatch.threshold.breached.v1`";
    static final String SOURCE = "Only events from this CloudEvents source, e.g. `/rollwatch/rollback-service`";
    static final String FROM_TIME = "Only events whose `time` is at or after this ISO-8601 instant";
    static final String TO_TIME = "Only events whose `time` is before this ISO-8601 instant (exclusive)";
    /** How the token's {@code services} claim limits what an auditor reads (issue 17, 5). */
    static final String SCOPE = " Service scope: the token's `services` claim (`*`, or an `admin`-only token: every "
            + "service; a list: those services; no claim and no `rollwatch.security.services.\"<subject>\"` mapping: "
            + "none). An entry belongs to a service when its payload's "
            + "`data.service` names it, or when its `subject` is a deployment whose `DeploymentStarted` names it, "
            + "re-derived from the stored bytes, never from a column; entries of no service (the log's own "
            + "`AuditCheckpointed`) are seen only by an auditor of every service. A scoped query re-derives the "
            + "service of each candidate row: give `deploymentId` when you can.";
    static final String AFTER = "The cursor: only entries after this position (0 or more; default 0)";

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
    @Operation(summary = "A page of the audit log in position order", description = "Role auditor. Every filter "
            + "is optional; `nextAfter` is the cursor of the next page (pass it as `after`), null on the last page. "
            + "An auditor limited to some services sees only their entries (a page may then hold fewer than "
            + "`limit`). Stable order by position. Each entry: `position`, `id`, `source`, `type`, `subject`, `time`, "
            + "`causationId`, `correlationId`, `topic`, `partition`, `offset`, `recordedAt`, `prevHash` and "
            + "`entryHash` (lowercase hex), and `event`, the stored event parsed as JSON, numbers kept as written."
            + SCOPE)
    @APIResponse(responseCode = "200", description = "The entries and the cursor of the next page")
    @APIResponse(responseCode = "400", description = "`invalid-limit` (`limit` outside 1..max-limit), " + FILTERS,
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public EventPage events(
            @Parameter(description = DEPLOYMENT_ID) @QueryParam("deploymentId") String deploymentId,
            @Parameter(description = TYPE) @QueryParam("type") String type,
            @Parameter(description = SOURCE) @QueryParam("source") String source,
            @Parameter(description = FROM_TIME) @QueryParam("from") String from,
            @Parameter(description = TO_TIME) @QueryParam("to") String to,
            @Parameter(description = AFTER) @QueryParam("after") Long after,
            @Parameter(description = "Page size, 1 to `rollwatch.audit.max-limit` (default "
                    + "`rollwatch.audit.default-limit`)") @QueryParam("limit") Integer limit) {
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
    @Operation(summary = "The exact stored bytes of one entry", description = "Role auditor. The event as received "
            + "(`application/cloudevents+json`): what the entry's `entry_hash` covers, to recompute it yourself."
            + SCOPE)
    @APIResponse(responseCode = "200", description = "The stored bytes",
            content = @Content(mediaType = EventCodec.CONTENT_TYPE))
    @APIResponse(responseCode = "404", description = "`not-found`: no entry at this position (or, for an auditor "
            + "limited to some services, an entry of another service)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response raw(@Parameter(description = "The entry's position in the log") @PathParam("position")
            long position) {
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
    @Operation(summary = "Recompute the hash chain and check the signed checkpoints",
            description = "Role auditor, scoped or not (the report carries positions, counts and hashes, never an "
                    + "entry's content). Over the whole log, or positions `from..to` (anchored on the stored hash "
                    + "of entry `from - 1`), in one consistent snapshot. A broken chain is still 200: `valid` false "
                    + "with `firstBadPosition` and `reason`. Reasons: `entry_hash does not match the stored bytes` "
                    + "(row altered; for version 2 the bytes include topic, partition, offset and `recorded_at`), "
                    + "`entry missing: positions a..b are absent` (row deleted), `prev_hash does not match the hash "
                    + "of entry n-1` (row replaced with a recomputed hash: reported at the next entry), `entry "
                    + "beyond the head: written outside the service`, `head hash does not match the last entry`, "
                    + "`entry_hash differs from the signed checkpoint at this position`, `the checkpoint at this "
                    + "position has an invalid signature or is not signed by a trusted key (key …)`, `column <name> "
                    + "differs from the stored bytes`, `hash version 1 after version 2: downgraded`, `signed "
                    + "checkpoint beyond the end of the log: …` (when the range reaches the head, a stored "
                    + "checkpoint at a later position: reported at the end + 1), `checkpoint beyond the end of the "
                    + "log (E) with an invalid signature …: written outside the service`, `checkpoint missing: the "
                    + "checkpoint signed at this position (logged as entry X) is not in audit_checkpoint` and `the "
                    + "stored checkpoint at this position differs from the signed copy logged as entry X` "
                    + "(a checkpoint's copy in the log, recognized from the entry's stored bytes). `checkpoints` is "
                    + "the number of checkpoints matched.")
    @APIResponse(responseCode = "200", description = "The report: `valid`, `from`, `to`, `entries`, `checkpoints`, "
            + "`headHash`; when broken `firstBadPosition` and `reason`")
    @APIResponse(responseCode = "400", description = "`invalid-range` (`from` < 1 or `to` < `from`), "
            + "`range-beyond-head` (`to` beyond the last position; extension `head`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public ChainVerifier.Report verify(
            @Parameter(description = "First position to verify (1 or more; default 1)") @QueryParam("from") Long from,
            @Parameter(description = "Last position to verify (default: the head)") @QueryParam("to") Long to) {
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
