package dev.rollwatch.demotarget.rest;

import dev.rollwatch.demotarget.service.BehaviourCatalog;
import dev.rollwatch.demotarget.service.TrafficSimulator;
import io.smallrye.health.SmallRyeHealthReporter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;

/**
 * The simulated service's health endpoint, what smoke checks and post-rollback probes hit, in the plain shape most
 * health checkers expect. DOWN when this process is not ready ({@code /q/health}) or when the simulated version asked
 * about has stopped answering ({@code POST /demo/behaviour {"down": true}}):
 * <ul>
 * <li>{@code ?version=V}: V's own health (a version routed nowhere is judged by its behaviour alone);</li>
 * <li>{@code ?service=S}: S's stable version;</li>
 * <li>neither: every known service's stable version (DOWN while any of them is down).</li>
 * </ul>
 */
@Path("/health")
@Tag(name = "simulation")
public class HealthResource {

    private static final Map<String, String> UP = Map.of("status", "UP");
    private static final Map<String, String> DOWN = Map.of("status", "DOWN");

    private final SmallRyeHealthReporter reporter;
    private final BehaviourCatalog behaviours;
    private final TrafficSimulator simulator;

    public HealthResource(SmallRyeHealthReporter reporter, BehaviourCatalog behaviours, TrafficSimulator simulator) {
        this.reporter = reporter;
        this.behaviours = behaviours;
        this.simulator = simulator;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "200 {\"status\":\"UP\"}, or 503 {\"status\":\"DOWN\"} (of one version, one service's stable "
            + "version, or every service's stable version)")
    public Response health(
            @Parameter(description = "judge this version only (optional; real targets may ignore it)")
            @QueryParam("version") String version,
            @Parameter(description = "judge this service's stable version only (optional)")
            @QueryParam("service") String service) {
        boolean down = reporter.getHealth().isDown();
        if (!down) {
            if (version != null && !version.isBlank()) {
                down = behaviours.of(version).down();
            } else if (service != null && !service.isBlank()) {
                down = simulator.stableDown(service);
            } else {
                down = !simulator.servicesWithStableDown().isEmpty();
            }
        }
        return down
                ? Response.status(Response.Status.SERVICE_UNAVAILABLE).entity(DOWN).build()
                : Response.ok(UP).build();
    }
}
