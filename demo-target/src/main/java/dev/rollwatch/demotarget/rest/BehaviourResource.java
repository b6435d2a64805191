package dev.rollwatch.demotarget.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollwatch.demotarget.domain.Behaviour;
import dev.rollwatch.demotarget.service.BehaviourCatalog;
import io.quarkus.logging.Log;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Changes how a version behaves while it runs, so a demo or a test can make a good version go bad (or heal a bad
 * one), or stop answering altogether ({@code down}). Not a driver call: unsigned, and the target's state does not
 * change.
 */
@Path("/demo/behaviour")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "simulation")
public class BehaviourResource {

    /** What to change; absent fields keep the version's current value. */
    public record BehaviourRequest(String version, Double errorRate, Double p95LatencyMs,
            Double memoryGrowthMbPerHour, Boolean down) {
    }

    /** A version's behaviour and where it comes from ({@code GOOD_DEFAULT}, {@code BAD_DEFAULT}, {@code OVERRIDE}). */
    public record BehaviourView(String version, double errorRate, double p95LatencyMs, double memoryGrowthMbPerHour,
            boolean down, BehaviourCatalog.Source source) {
    }

    private final BehaviourCatalog behaviours;
    private final ObjectMapper mapper;

    public BehaviourResource(BehaviourCatalog behaviours, ObjectMapper mapper) {
        this.behaviours = behaviours;
        this.mapper = mapper;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a version's error rate, p95 latency, memory growth and whether it is down, from now on")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = BehaviourRequest.class)))
    public BehaviourView change(byte[] body) {
        JsonBody json = JsonBody.parse(mapper, body);
        String version = json.requiredText("version");
        Double errorRate = json.optionalNumber("errorRate", 0, 1);
        Double p95LatencyMs = json.optionalNumber("p95LatencyMs", 0.001, 600_000);
        Double memoryGrowth = json.optionalNumber("memoryGrowthMbPerHour", 0, 1_000_000);
        Boolean down = json.optionalBoolean("down");
        json.requireValid();
        Behaviour behaviour = behaviours.of(version);
        if (errorRate != null) {
            behaviour = behaviour.withErrorRate(errorRate);
        }
        if (p95LatencyMs != null) {
            behaviour = behaviour.withP95LatencyMs(p95LatencyMs);
        }
        if (memoryGrowth != null) {
            behaviour = behaviour.withMemoryGrowthMbPerHour(memoryGrowth);
        }
        if (down != null) {
            behaviour = behaviour.withDown(down);
        }
        behaviours.override(version, behaviour);
        Log.infof("behaviour changed: version=%s errorRate=%s p95LatencyMs=%s memoryGrowthMbPerHour=%s down=%s",
                version, behaviour.errorRate(), behaviour.p95LatencyMs(), behaviour.memoryGrowthMbPerHour(),
                behaviour.down());
        return view(version);
    }

    @GET
    @Operation(summary = "A version's current behaviour")
    public BehaviourView show(@QueryParam("version") String version) {
        return view(requireVersion(version));
    }

    @DELETE
    @Operation(summary = "Back to the configured behaviour of the version")
    public BehaviourView reset(@QueryParam("version") String version) {
        behaviours.reset(requireVersion(version));
        Log.infof("behaviour reset: version=%s", version);
        return view(version);
    }

    private BehaviourView view(String version) {
        Behaviour behaviour = behaviours.of(version);
        return new BehaviourView(version, behaviour.errorRate(), behaviour.p95LatencyMs(),
                behaviour.memoryGrowthMbPerHour(), behaviour.down(), behaviours.sourceOf(version));
    }

    private static String requireVersion(String version) {
        if (version == null || version.isBlank()) {
            throw ProblemException.invalidRequest("the query parameter version is required");
        }
        return version;
    }
}
