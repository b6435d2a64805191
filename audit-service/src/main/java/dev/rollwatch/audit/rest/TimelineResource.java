package dev.rollwatch.audit.rest;

import dev.rollwatch.audit.domain.StoredEntry;
import dev.rollwatch.audit.domain.Timeline;
import dev.rollwatch.audit.repository.AuditLogRepository;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventType;
import dev.rollwatch.events.InvalidEventException;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.platform.rest.Problem;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A deployment's events in order with the causation chain of each rollback resolved and timed. */
@Path("/api/v1/audit/deployments")
@RolesAllowed(Roles.AUDITOR)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "timelines", description = "A deployment's audited history with each rollback's causal chain")
@APIResponse(responseCode = "401", description = "`unauthorized`: no valid bearer token (`WWW-Authenticate: Bearer`)",
        content = @Content(mediaType = Problem.MEDIA_TYPE))
@APIResponse(responseCode = "403", description = "`forbidden`: the token has no `auditor` role",
        content = @Content(mediaType = Problem.MEDIA_TYPE))
public class TimelineResource {

    private final AuditLogRepository log;
    private final Caller caller;

    public TimelineResource(AuditLogRepository log, Caller caller) {
        this.log = log;
        this.caller = caller;
    }

    @GET
    @Path("/{id}/timeline")
    @Operation(summary = "A deployment's events in order with the causal chain of each rollback",
            description = "Role auditor. Each event with the position and type of its cause; for every "
                    + "`RollbackRequested` (`rollbacks`): `breaches` (check, metric, query, observed values, "
                    + "threshold, operator, severity, observedAt — found by the request's `breachEventIds` anywhere "
                    + "in the log), `decision` (trigger, reason, policy rule and version, from/to version), "
                    + "`rollback` (the `RollbackCompleted` caused by it), `finished` (the `DeploymentFinished` "
                    + "caused by that), `notifications` (deliveries and failures about any event of the chain) and "
                    + "`durations` in ms: `breachToDecisionMs` (breach `observedAt` → request `time`), "
                    + "`decisionToRollbackDoneMs` (request `time` → completion `time`), `breachToRollbackDoneMs`."
                    + AuditResource.SCOPE)
    @APIResponse(responseCode = "200", description = "The timeline")
    @APIResponse(responseCode = "404", description = "`not-found` (extension `hint`): the log holds no event about "
            + "this deployment (or, for an auditor limited to some services, it is another service's)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Timeline timeline(@Parameter(description = "The deployment id (the events' CloudEvents `subject`)")
            @PathParam("id") String deploymentId) {
        java.util.Set<String> scope = caller.serviceScope(); // a scoped auditor: 404 for another service's deployment
        List<StoredEntry> entries = log.bySubject(deploymentId, scope);
        if (entries.isEmpty()) {
            throw ProblemException.notFound("deployment", deploymentId)
                    .with("hint", "the audit log holds no event about this deployment");
        }
        // Breaches a rollback names may have been recorded under another subject; fetch them by id.
        List<String> named = new ArrayList<>();
        for (StoredEntry e : entries) {
            if (EventType.ROLLBACK_REQUESTED.type().equals(e.type())) {
                try {
                    named.addAll(EventCodec.decode(e.payload()).as(RollbackRequested.class).data().breachEventIds());
                } catch (InvalidEventException | IllegalStateException ignored) {
                    // not interpretable: the timeline lists it without a resolved chain
                }
            }
        }
        Map<String, StoredEntry> breaches = log.byEventIds(named, scope).stream()
                .collect(Collectors.toMap(StoredEntry::eventId, Function.identity(), (a, b) -> a));
        return Timeline.of(deploymentId, entries, breaches);
    }
}
