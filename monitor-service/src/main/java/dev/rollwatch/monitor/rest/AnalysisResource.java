package dev.rollwatch.monitor.rest;

import dev.rollwatch.monitor.domain.CheckRule;
import dev.rollwatch.monitor.domain.DefaultChecks;
import dev.rollwatch.monitor.provider.prometheus.PrometheusProvider;
import dev.rollwatch.monitor.service.AnalysisQuery;
import dev.rollwatch.monitor.service.AnalysisView;
import dev.rollwatch.monitor.service.CheckValidator;
import dev.rollwatch.monitor.service.ObjectOwners;
import dev.rollwatch.monitor.service.SeriesQuery;
import dev.rollwatch.monitor.service.SeriesView;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Roles;
import dev.rollwatch.platform.security.ServiceScoped;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import dev.rollwatch.platform.rest.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "analysis", description = "A deployment's watch, its measurements over time, and the check specs")
@APIResponse(responseCode = "401", description = AnalysisResource.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE))
public class AnalysisResource {

    static final String UNAUTHORIZED = "`unauthorized`: no bearer token, or one that is expired, signed by another "
            + "key or for another audience (`WWW-Authenticate: Bearer`)";
    static final String FORBIDDEN = "`forbidden`: the token has neither the `deployer` nor the `operator` role";
    static final String FORBIDDEN_SERVICE = FORBIDDEN + "; `forbidden-service`: the watch's service is not among "
            + "the token's services (its `services` claim, `*` for all; without one no service unless `admin` is "
            + "its only role)";
    static final String WATCH_NOT_FOUND = "`watch-not-found`: no watch for the deployment (unknown, or its "
            + "DeploymentStarted not consumed yet)";
    static final String DEPLOYMENT_ID = "The deployment id";

    private final AnalysisQuery query;
    private final SeriesQuery series;
    private final PrometheusProvider prometheus;

    public AnalysisResource(AnalysisQuery query, SeriesQuery series, PrometheusProvider prometheus) {
        this.query = query;
        this.series = series;
        this.prometheus = prometheus;
    }

    @GET
    @Path("/deployments/{id}/analysis")
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @ServiceScoped(kind = ObjectOwners.WATCH, param = "id")
    @Operation(summary = "A deployment's watch: every check's state, its verdict so far, and the breaches emitted",
            description = "Roles deployer, operator; 403 `forbidden-service` for a deployment of a service the "
                    + "token does not allow. The watch (status ACTIVE, BAKING, VERIFYING or STOPPED, step, weight, "
                    + "finish outcome, bake deadline, `causationId`), the overall verdict (the worst check's), each "
                    + "check's rule and state (verdict, inBreach, measurements, failures in the current run, "
                    + "totalFailures, consecutiveErrors, episodes, lastValue, lastObservedAt, the last "
                    + "`rollwatch.monitor.recent-measurements` measurements with their outcome and `reason`, "
                    + "`measure`, `ruleVersion`, `baselineValue`/`baselineObservedAt`) and every breach emitted "
                    + "(event id, episode, observed, operator, threshold, failures, stepIndex, observedAt, emittedAt, "
                    + "measure, baseline, ruleVersion, and once the episode ended `recoveredAt` and "
                    + "`recoveryEventId`), outage episodes (check `availability`) included.")
    @APIResponse(responseCode = "200", description = "The watch and its checks")
    @APIResponse(responseCode = "403", description = FORBIDDEN_SERVICE,
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = WATCH_NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public AnalysisView analysis(@Parameter(description = DEPLOYMENT_ID) @PathParam("id") String id) {
        return query.find(id).orElseThrow(() -> new ProblemException(404, "watch-not-found", "Not found",
                "no watch for deployment " + id));
    }

    @GET
    @Path("/deployments/{id}/series")
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @ServiceScoped(kind = ObjectOwners.WATCH, param = "id")
    @Operation(summary = "A deployment's measurements over time: every check's newest points, threshold and breaches",
            description = "For the console's charts; kept after the watch stops. Per check the newest "
                    + "`rollwatch.monitor.series-points` (default 720) points, oldest first. Roles deployer, operator; "
                    + "403 `forbidden-service` for a deployment of a service the token does not allow; 404 "
                    + "`watch-not-found`. `points`: oldest first by `t` (the observation time; a late sample is "
                    + "drawn where it belongs); `v` is the figure compared with the range (the value, its ratio or "
                    + "difference against the stable version, or its growth per hour), null for an ERROR "
                    + "measurement; a built-in check with no data has no points; a rollback's verification points "
                    + "(the restored version) follow the rollout's on the same check. `threshold`/`operator`: the "
                    + "max and `>` when the check has one, else the min and `<`; `min` and `max` both given. `unit`: "
                    + "`ratio` (0.01 = 1 %), `seconds`, `bytes`, `bytes/h` for a growth check, null when the "
                    + "metric's name does not say. `breaches`: the check's episodes at their deciding measurement's "
                    + "time and figure, with `recoveredAt` once closed; outage episodes have no series (see the "
                    + "analysis view). Null fields may be left out: read a missing `min`, `v`, `recoveredAt` as "
                    + "null.")
    @APIResponse(responseCode = "200", description = "Every check's points, threshold and breaches")
    @APIResponse(responseCode = "403", description = FORBIDDEN_SERVICE,
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = WATCH_NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public SeriesView series(@Parameter(description = DEPLOYMENT_ID) @PathParam("id") String id) {
        return series.find(id).orElseThrow(() -> new ProblemException(404, "watch-not-found", "Not found",
                "no watch for deployment " + id));
    }

    @POST
    @Path("/checks/validate")
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Validate check specs before starting a deployment",
            description = "The body is a deployment's analysis spec ({\"previousVersion\": ..., \"checks\": [...]}, "
                    + "optionally \"service\" to hold a prometheus check's own PromQL against, "
                    + "the DeploymentStarted shape). 200 with the checks as the monitor will apply them (defaults filled in), or 400 "
                    + "problem+json `invalid-check` listing every problem. `previousVersion` is the stable version "
                    + "the deployment replaces (checks comparing with the baseline need it); durations are ISO-8601 "
                    + "(`PT5S`); no checks: the built-in ones. Checked: name (present, unique), metric, min or max "
                    + "(min ≤ max), failureLimit and consecutiveErrorLimit ≥ 1, positive interval and window, a known "
                    + "provider (`prometheus`, `push`, `scrape`), a scrape check's metric among those it computes, a "
                    + "prometheus check's query present with known placeholders only and allowed (a configured "
                    + "`template:<name>`, or own PromQL, when `rollwatch.monitor.prometheus.raw-queries` is on, "
                    + "whose every selector carries `service=\"<service>\"`), a known `measure` (`VALUE`, "
                    + "`BASELINE_RATIO`, `BASELINE_DIFFERENCE`, `GROWTH_PER_HOUR`) and a `previousVersion` for a "
                    + "`BASELINE_*` measure; the names `availability` and `…@step…` are reserved. Changes nothing.")
    @APIResponse(responseCode = "200", description = "The checks as the monitor will apply them")
    @APIResponse(responseCode = "400", description = "`invalid-check`: a check spec with problems (`errors[]`: "
            + "check index, field, message); `malformed-body`: not JSON, a value of the wrong type or an unknown "
            + "field; `validation`: no body", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = FORBIDDEN, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "411", description = "`length-required`: a body without `Content-Length`",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "413", description = "`body-too-large`: a body over "
            + "`quarkus.http.limits.max-body-size` (1 MiB)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = "`rate-limited`: too many requests from this identity "
            + "(`Retry-After`)", content = @Content(mediaType = Problem.MEDIA_TYPE))
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
    @Operation(summary = "The built-in checks (the runbooks' thresholds) used when a deployment names none",
            description = "Roles deployer, operator. The catalog `domain/DefaultChecks`, as JSON.")
    @APIResponse(responseCode = "200", description = "The built-in checks")
    @APIResponse(responseCode = "403", description = FORBIDDEN, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public List<CheckRule> defaultChecks() {
        return DefaultChecks.ALL;
    }
}
