package dev.rollwatch.audit.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rollwatch.audit.config.AuditConfig;
import dev.rollwatch.audit.repository.AuditLogRepository;
import dev.rollwatch.audit.repository.EntryFilter;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
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
    public Response stream(@QueryParam("deploymentId") String deploymentId, @QueryParam("type") String type,
            @QueryParam("source") String source, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("after") Long after, @QueryParam("follow") boolean follow) {
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
