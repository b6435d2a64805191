package dev.rollwatch.deploy.report;

import dev.rollwatch.platform.rest.Problem;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import dev.rollwatch.platform.security.Unscoped;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** How a service's deployments went, against the runbook's success-rate target. */
@Path("/api/v1/services/{service}/summary")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = ServiceSummaryResource.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE))
public class ServiceSummaryResource {

    /** Why the {service} path is checked by hand, not by {@code @ServiceScoped}. */
    static final String SCOPE_BY_HAND = "{service} is the scope itself, checked by hand once the names are "
            + "validated (400 before 403, an order a check before the method would not keep)";

    static final String UNAUTHORIZED = "`unauthorized`: no valid bearer token (none, or one that is expired, signed "
            + "by another key, or for another issuer or audience); `WWW-Authenticate: Bearer`";

    private static final String NAME = "[a-z0-9][a-z0-9._-]{0,99}";

    private final SummaryService summaries;
    private final Caller caller;

    public ServiceSummaryResource(SummaryService summaries, Caller caller) {
        this.summaries = summaries;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Unscoped(SCOPE_BY_HAND)
    @Operation(summary = "A service's deployments summarised", description = "Deployments per state, the success "
            + "rate against the runbook's target (> 95 %), mean and median duration of successful deployments, mean "
            + "and median detection-to-rollback, and the version last SUCCEEDED in each environment. environment "
            + "limits it to one environment. Roles deployer, operator. `byStatus` counts every state, running ones "
            + "included; `successRate` is SUCCEEDED / (SUCCEEDED + ROLLED_BACK + ROLLBACK_FAILED + FAILED) as a "
            + "figure (`target`, `actual`, `met`; aborted deployments are not counted); `durationMs` and "
            + "`detectionToRollbackMs` give `count`, `mean`, `p50`; `lastSucceeded` maps each environment to "
            + "`version`, `deploymentId`, `finishedAt`.")
    @APIResponse(responseCode = "200", description = "The summary")
    @APIResponse(responseCode = "400", description = "`invalid-service` (`service` not lowercase letters, digits, "
            + "`. _ -`), `invalid-filter` (`environment` likewise)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = "`forbidden` (neither deployer nor operator), "
            + "`forbidden-service` (the token does not allow `service`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public ServiceSummary summary(@Parameter(description = "The service") @PathParam("service") String service,
            @Parameter(description = "Only this environment (default: all)") @QueryParam("environment")
            String environment) {
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
