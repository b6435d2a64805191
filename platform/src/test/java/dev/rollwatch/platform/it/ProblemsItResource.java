package dev.rollwatch.platform.it;

import dev.rollwatch.platform.rest.ProblemException;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/** Endpoints that fail the ways a service's endpoints fail, for ProblemMappersIT. */
@Path("/it/problems")
@PermitAll
public class ProblemsItResource {

    /** What an exception's message may carry that a client must never see. */
    public static final String INTERNAL_DETAIL = "password=hunter2 at jdbc:postgresql://db.internal:5432/rollwatch";

    @GET
    @Path("/conflict/{id}")
    public String conflict(@PathParam("id") String id) {
        throw ProblemException.conflict("deployment-active", "deployment " + id + " is still running")
                .with("deploymentId", id);
    }

    @GET
    @Path("/deployments/{id}")
    public String missing(@PathParam("id") String id) {
        throw ProblemException.notFound("deployment", id);
    }

    @GET
    @Path("/unexpected")
    public String unexpected() {
        throw new IllegalStateException("unexpected: " + INTERNAL_DETAIL);
    }

    public record Create(@NotBlank String service, @Min(1) @Max(100) int weight) {
    }

    @POST
    @Path("/validated")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> validated(@Valid Create create) {
        return Map.of("service", create.service(), "weight", create.weight());
    }
}
