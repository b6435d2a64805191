package dev.rollwatch.demotarget.rest;

import dev.rollwatch.demotarget.service.PrometheusTextWriter;
import dev.rollwatch.demotarget.service.TrafficSimulator;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The simulated service's own metrics, what the monitor's {@code scrape} provider reads. Not to be confused with
 * {@code /q/metrics}, which are this Quarkus process's metrics.
 */
@Path("/metrics")
@Tag(name = "simulation")
public class MetricsResource {

    private final TrafficSimulator simulator;

    public MetricsResource(TrafficSimulator simulator) {
        this.simulator = simulator;
    }

    @GET
    @Produces({ MediaType.TEXT_PLAIN, MediaType.WILDCARD })
    @Operation(summary = "Prometheus text exposition (0.0.4) of the simulated traffic, per service and version")
    public Response metrics() {
        return Response.ok(PrometheusTextWriter.write(simulator.snapshot()))
                .type(PrometheusTextWriter.CONTENT_TYPE)
                .build();
    }
}
