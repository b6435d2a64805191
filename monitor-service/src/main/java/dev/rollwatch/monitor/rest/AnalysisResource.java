package dev.rollwatch.monitor.rest;

import dev.rollwatch.monitor.domain.CheckRule;
import dev.rollwatch.monitor.domain.DefaultChecks;
import dev.rollwatch.monitor.service.AnalysisQuery;
import dev.rollwatch.monitor.service.AnalysisView;
import dev.rollwatch.platform.rest.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class AnalysisResource {

    private final AnalysisQuery query;

    public AnalysisResource(AnalysisQuery query) {
        this.query = query;
    }

    @GET
    @Path("/deployments/{id}/analysis")
    @Operation(summary = "A deployment's watch: every check's state, its verdict so far, and the breaches emitted")
    public AnalysisView analysis(@PathParam("id") String id) {
        return query.find(id).orElseThrow(() -> new ProblemException(404, "watch-not-found", "Not found",
                "no watch for deployment " + id));
    }

    @GET
    @Path("/checks/defaults")
    @Operation(summary = "The built-in checks (the runbooks' thresholds) used when a deployment names none")
    public List<CheckRule> defaultChecks() {
        return DefaultChecks.ALL;
    }
}
