package dev.rollwatch.demotarget.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollwatch.demotarget.domain.CallKind;
import dev.rollwatch.demotarget.domain.DriverCall;
import dev.rollwatch.demotarget.domain.FinalizeCommand;
import dev.rollwatch.demotarget.domain.RollbackCommand;
import dev.rollwatch.demotarget.domain.TargetState;
import dev.rollwatch.demotarget.domain.TrafficCommand;
import dev.rollwatch.demotarget.service.TargetService;
import dev.rollwatch.events.webhook.StandardWebhooks;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;

import java.util.List;
import java.util.function.Function;

/**
 * The http target driver's protocol: signed JSON calls that shift traffic, roll back or finalize a rollout, and
 * reads that let the driver, the tests and the demo see what the target was told. See {@code docs/target-protocol.md}.
 */
@Path("/rollwatch/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "driver", description = "The http target driver's protocol")
public class DriverResource {

    private final TargetService target;
    private final WebhookGuard guard;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;

    public DriverResource(TargetService target, WebhookGuard guard, ObjectMapper mapper, MeterRegistry registry) {
        this.target = target;
        this.guard = guard;
        this.mapper = mapper;
        this.registry = registry;
    }

    @POST
    @Path("/traffic")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Route weight percent of a service's traffic to the canary version")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = TrafficCommand.class)))
    @APIResponse(responseCode = "200", description = "The target's state after the call")
    @APIResponse(responseCode = "400", description = "Invalid body; nothing changed")
    @APIResponse(responseCode = "401", description = "Missing or invalid signature; nothing changed")
    public TargetState traffic(byte[] body,
            @RestHeader(StandardWebhooks.ID) String webhookId,
            @RestHeader(StandardWebhooks.TIMESTAMP) String timestamp,
            @RestHeader(StandardWebhooks.SIGNATURE) String signature) {
        return handle(CallKind.TRAFFIC, body, webhookId, timestamp, signature, json -> {
            TrafficCommand command = new TrafficCommand(json.requiredText("deploymentId"),
                    json.requiredText("service"), json.requiredText("environment"),
                    json.requiredText("stableVersion"), json.requiredText("canaryVersion"),
                    json.requiredPercentage("weight"));
            json.requireValid();
            return target.shiftTraffic(command, webhookId, json.root());
        });
    }

    @POST
    @Path("/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Remove the canary: all of the service's traffic to toVersion")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = RollbackCommand.class)))
    @APIResponse(responseCode = "200", description = "The target's state after the call")
    @APIResponse(responseCode = "400", description = "Invalid body; nothing changed")
    @APIResponse(responseCode = "401", description = "Missing or invalid signature; nothing changed")
    public TargetState rollback(byte[] body,
            @RestHeader(StandardWebhooks.ID) String webhookId,
            @RestHeader(StandardWebhooks.TIMESTAMP) String timestamp,
            @RestHeader(StandardWebhooks.SIGNATURE) String signature) {
        return handle(CallKind.ROLLBACK, body, webhookId, timestamp, signature, json -> {
            RollbackCommand command = new RollbackCommand(json.requiredText("deploymentId"),
                    json.requiredText("service"), json.requiredText("environment"), json.requiredText("toVersion"));
            json.requireValid();
            return target.rollback(command, webhookId, json.root());
        });
    }

    /** Named {@code finalizeRollout}, not {@code finalize}, so it cannot be mistaken for {@link Object}'s hook. */
    @POST
    @Path("/finalize")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "End a successful rollout: version becomes the stable version with all the traffic")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = FinalizeCommand.class)))
    @APIResponse(responseCode = "200", description = "The target's state after the call")
    @APIResponse(responseCode = "400", description = "Invalid body; nothing changed")
    @APIResponse(responseCode = "401", description = "Missing or invalid signature; nothing changed")
    public TargetState finalizeRollout(byte[] body,
            @RestHeader(StandardWebhooks.ID) String webhookId,
            @RestHeader(StandardWebhooks.TIMESTAMP) String timestamp,
            @RestHeader(StandardWebhooks.SIGNATURE) String signature) {
        return handle(CallKind.FINALIZE, body, webhookId, timestamp, signature, json -> {
            FinalizeCommand command = new FinalizeCommand(json.requiredText("deploymentId"),
                    json.requiredText("service"), json.requiredText("environment"), json.requiredText("version"));
            json.requireValid();
            return target.finalizeRollout(command, webhookId, json.root());
        });
    }

    @GET
    @Path("/state")
    @Operation(summary = "What the target currently runs for a service")
    @APIResponse(responseCode = "404", description = "No such service on this target")
    public TargetState state(@QueryParam("service") String service) {
        if (service == null || service.isBlank()) {
            throw ProblemException.invalidRequest("the query parameter service is required");
        }
        return target.state(service).orElseThrow(() -> ProblemException.unknownService(service));
    }

    @GET
    @Path("/calls")
    @Operation(summary = "The driver calls applied, oldest first, optionally of one deployment or service")
    public List<DriverCall> calls(@QueryParam("deploymentId") String deploymentId,
            @QueryParam("service") String service) {
        return target.calls(blankToNull(deploymentId), blankToNull(service));
    }

    /** Signature first (401), then the body (400), then the change: a refused call changes nothing. */
    private TargetState handle(CallKind kind, byte[] body, String webhookId, String timestamp, String signature,
            Function<JsonBody, TargetService.Applied> apply) {
        try {
            guard.verify(webhookId, timestamp, signature, body);
            TargetService.Applied applied = apply.apply(JsonBody.parse(mapper, body));
            counter(kind, applied.duplicate() ? "duplicate" : "applied");
            return applied.state();
        } catch (ProblemException e) {
            counter(kind, e.status() == 401 ? "unauthorized" : "invalid");
            throw e;
        }
    }

    private void counter(CallKind kind, String outcome) {
        registry.counter("rollwatch.demotarget.driver.calls", "kind", kind.wireName(), "outcome", outcome)
                .increment();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
