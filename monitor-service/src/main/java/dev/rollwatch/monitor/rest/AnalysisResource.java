package dev.rollwatch.monitor.rest;

import dev.rollwatch.monitor.domain.CheckRule;
import dev.rollwatch.monitor.domain.DefaultChecks;
import dev.rollwatch.monitor.provider.prometheus.PrometheusProvider;
import dev.rollwatch.monitor.service.AnalysisQuery;
import dev.rollwatch.monitor.service.AnalysisView;
import dev.rollwatch.monitor.service.CheckValidator;
import dev.rollwatch.monitor.service.SeriesQuery;
import dev.rollwatch.monitor.service.SeriesView;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
    private final SeriesQuery series;
    private final Caller caller;
    private final PrometheusProvider prometheus;

    public AnalysisResource(AnalysisQuery query, SeriesQuery series, Caller caller, PrometheusProvider prometheus) {
        this.query = query;
        this.series = series;
        this.caller = caller;
        this.prometheus = prometheus;
    }

    @GET
    @Path("/deployments/{id}/analysis")
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Operation(summary = "A deployment's watch: every check's state, its verdict so far, and the breaches emitted",
            description = "Roles deployer, operator; 403 `forbidden-service` for a deployment of a service the "
                    + "token does not allow.")
    public AnalysisView analysis(@PathParam("id") String id) {
        AnalysisView view = query.find(id).orElseThrow(() -> new ProblemException(404, "watch-not-found",
                "Not found", "no watch for deployment " + id));
        caller.requireService(view.service());
        return view;
    }

    @GET
    @Path("/deployments/{id}/series")
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Operation(summary = "A deployment's measurements over time: every check's newest points, threshold and breaches",
            description = "For the console's charts; kept after the watch stops. Per check the newest "
                    + "`rollwatch.monitor.series-points` (default 720) points, oldest first. Roles deployer, operator; "
                    + "403 `forbidden-service` for a deployment of a service the token does not allow; 404 "
                    + "`watch-not-found`.")
    public SeriesView series(@PathParam("id") String id) {
        SeriesQuery.Found found = series.find(id).orElseThrow(() -> new ProblemException(404, "watch-not-found",
                "Not found", "no watch for deployment " + id));
        caller.requireService(found.service());
        return found.view();
    }

    @POST
    @Path("/checks/validate")
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Validate check specs before starting a deployment",
            description = "The body is a deployment's analysis spec ({\"previousVersion\": ..., \"checks\": [...]}, "
                    + "optionally \"service\" to hold a prometheus check's own PromQL against, "
                    + "the DeploymentStarted shape). 200 with the checks as the monitor will apply them (defaults filled in), or 400 "
                    + "problem+json `invalid-check` listing every problem.")
    public List<CheckRule> validate(@NotNull ValidateChecks request) {
        List<CheckValidator.Candidate> checks = request.checks() == null ? List.of() : request.checks();
        List<CheckValidator.Problem> problems = CheckValidator.problems(checks, request.previousVersion(),
                prometheus.queries(), request.service());
        if (!problems.isEmpty()) {
            throw ProblemException.badRequest("invalid-check", problems.size() + " problem(s) in the check specs")
                    .with("errors", problems);
        }
        return checks.isEmpty() ? DefaultChecks.ALL
                : checks.stream().map(c -> CheckRule.from(c.toSpec())).toList();
    }

    /**
     * {@code {"previousVersion": "2.3.0", "checks": [...]}}: a deployment's analysis spec, durations as ISO-8601
     * ({@code "PT5S"}); {@code previousVersion} is the stable version the deployment replaces (none: a first
     * deployment), which checks comparing with the baseline need; {@code service} (optional) the deployment's service,
     * against which a prometheus check's own PromQL is held (not given: its selectors must use
     * {@code service="{{service}}"}).
     */
    public record ValidateChecks(String previousVersion, List<CheckValidator.Candidate> checks, String service) {
    }

    @GET
    @Path("/checks/defaults")
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Operation(summary = "The built-in checks (the runbooks' thresholds) used when a deployment names none")
    public List<CheckRule> defaultChecks() {
        return DefaultChecks.ALL;
    }
}
