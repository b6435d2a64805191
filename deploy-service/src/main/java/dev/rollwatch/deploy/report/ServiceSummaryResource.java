package dev.rollwatch.deploy.report;

import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** How a service's deployments went, against the runbook's success-rate target. */
@Path("/api/v1/services/{service}/summary")
@Produces(MediaType.APPLICATION_JSON)
public class ServiceSummaryResource {

    private static final String NAME = "[a-z0-9][a-z0-9._-]{0,99}";

    private final SummaryService summaries;
    private final Caller caller;

    public ServiceSummaryResource(SummaryService summaries, Caller caller) {
        this.summaries = summaries;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Operation(summary = "A service's deployments summarised", description = "Deployments per state, the success "
            + "rate against the runbook's target (> 95 %), mean and median duration of successful deployments, mean "
            + "and median detection-to-rollback, and the version last SUCCEEDED in each environment. environment "
            + "limits it to one environment.")
    public ServiceSummary summary(@PathParam("service") String service,
            @QueryParam("environment") String environment) {
        if (service == null || !service.matches(NAME)) {
            throw ProblemException.badRequest("invalid-service", "service must be lowercase letters, digits, . _ -");
        }
        String env = environment == null || environment.isBlank() ? null : environment.trim();
        if (env != null && !env.matches(NAME)) {
            throw ProblemException.badRequest("invalid-filter", "environment must be lowercase letters, digits, . _ -");
        }
        caller.requireService(service);
        return summaries.summary(service, env);
    }
}
