package dev.rollwatch.demotarget.rest;

import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;

/**
 * The simulated service's health endpoint, what smoke checks hit: the same verdict as {@code /q/health}, in the
 * plain shape most health checkers expect.
 */
@Path("/health")
@Tag(name = "simulation")
public class HealthResource {

    private final SmallRyeHealthReporter reporter;

    public HealthResource(SmallRyeHealthReporter reporter) {
        this.reporter = reporter;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "200 {\"status\":\"UP\"}, or 503 {\"status\":\"DOWN\"}")
    public Response health() {
        SmallRyeHealth health = reporter.getHealth();
        return health.isDown()
                ? Response.status(Response.Status.SERVICE_UNAVAILABLE).entity(Map.of("status", "DOWN")).build()
                : Response.ok(Map.of("status", "UP")).build();
    }
}
