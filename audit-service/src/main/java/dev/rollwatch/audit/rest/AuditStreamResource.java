package dev.rollwatch.audit.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rollwatch.audit.config.AuditConfig;
import dev.rollwatch.audit.repository.AuditLogRepository;
import dev.rollwatch.audit.repository.EntryFilter;
import dev.rollwatch.platform.rest.Problem;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The log as NDJSON (one entry per line, the same shape as {@code GET /events}) for exports of any size: rows come
 * through a database cursor and go straight to the socket, so memory stays constant and the first line leaves at
 * once. Each row's columns are written where they go ({@link EntryLines}): no entry, view or JSON tree per row. With {@code follow=true} the stream catches up, then keeps sending new entries as they are appended (and a
 * blank heartbeat line when idle) until the client hangs up.
 */
@Path("/api/v1/audit/events/stream")
@RolesAllowed(Roles.AUDITOR)
@Tag(name = AuditResource.TAG)
@APIResponse(responseCode = "401", description = "`unauthorized`: no valid bearer token (`WWW-Authenticate: Bearer`)",
        content = @Content(mediaType = Problem.MEDIA_TYPE))
@APIResponse(responseCode = "403", description = "`forbidden`: the token has no `auditor` role",
        content = @Content(mediaType = Problem.MEDIA_TYPE))
public class AuditStreamResource {

    public static final String NDJSON = "application/x-ndjson";
    private static final Logger LOG = Logger.getLogger(AuditStreamResource.class);

    private final AuditLogRepository log;
    private final AuditConfig config;
    private final ObjectMapper json;

    private final Caller caller;

    public AuditStreamResource(AuditLogRepository log, AuditConfig config, ObjectMapper json, Caller caller) {
        this.log = log;
        this.caller = caller;
        this.config = config;
        this.json = json.copy().disable(SerializationFeature.INDENT_OUTPUT);
    }

    @GET
    @Produces(NDJSON)
    @Operation(summary = "Export the audit log as NDJSON, optionally following new entries",
            description = "Role auditor. The filters of `GET /api/v1/audit/events`, one entry per line in the same "
                    + "shape, in position order, read through a database cursor: constant memory whatever the "
                    + "size, the first line at once. With `follow=true` the stream catches up, then sends new "
                    + "entries as they are appended (a blank heartbeat line when idle) until the client hangs up. "
                    + "The lines are byte for byte what serializing each entry's view gives. An auditor limited to "
                    + "some services gets only their entries." + AuditResource.SCOPE)
    @APIResponse(responseCode = "200", description = "One entry per line",
            content = @Content(mediaType = NDJSON))
    @APIResponse(responseCode = "400", description = AuditResource.FILTERS,
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response stream(
            @Parameter(description = AuditResource.DEPLOYMENT_ID) @QueryParam("deploymentId") String deploymentId,
            @Parameter(description = AuditResource.TYPE) @QueryParam("type") String type,
            @Parameter(description = AuditResource.SOURCE) @QueryParam("source") String source,
            @Parameter(description = AuditResource.FROM_TIME) @QueryParam("from") String from,
            @Parameter(description = AuditResource.TO_TIME) @QueryParam("to") String to,
            @Parameter(description = AuditResource.AFTER) @QueryParam("after") Long after,
            @Parameter(description = "Keep the stream open and send new entries as they are appended "
                    + "(default false)") @QueryParam("follow") boolean follow) {
        // The scope is read here, in the request: the body is written after the method returned.
        EntryFilter filter = AuditResource.filter(deploymentId, type, source, from, to, after)
                .scopedTo(caller.serviceScope());
        StreamingOutput body = out -> write(out, filter, follow);
        return Response.ok(body, NDJSON).build();
    }

    private void write(OutputStream out, EntryFilter filter, boolean follow) throws IOException {
        long[] last = {filter.after()};
        long[] sent = {0};
        long[] lastWrite = {System.nanoTime()};
        try {
            EntryLines lines = new EntryLines(json);
            EntryFilter next = filter;
            while (true) {
                log.scanRows(next, null, config.fetchSize(), row -> {
                    last[0] = lines.write(row, out);
                    sent[0]++;
                    if (sent[0] == 1 || sent[0] % config.fetchSize() == 0) {
                        out.flush(); // the first line at once, then a chunk per fetch
                    }
                });
                out.flush();
                lastWrite[0] = System.nanoTime();
                if (!follow) {
                    return;
                }
                long before = sent[0];
                do {
                    Thread.sleep(config.followPollInterval().toMillis());
                    if (System.nanoTime() - lastWrite[0] > config.followHeartbeat().toNanos()) {
                        out.write('\n');
                        out.flush();
                        lastWrite[0] = System.nanoTime();
                    }
                } while (log.head().position() <= last[0] && sent[0] == before);
                next = filter.after(last[0]);
            }
        } catch (UncheckedIOException | IOException e) {
            LOG.debugf("audit stream ended by the client after %d entries: %s", sent[0], e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
