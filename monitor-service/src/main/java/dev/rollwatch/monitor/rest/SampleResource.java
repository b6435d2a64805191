package dev.rollwatch.monitor.rest;

import dev.rollwatch.monitor.config.MonitorConfig;
import dev.rollwatch.monitor.provider.push.PushProvider;
import dev.rollwatch.monitor.service.SampleEvaluator;
import dev.rollwatch.monitor.service.Telemetry;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import dev.rollwatch.platform.rest.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The push provider: measurements posted by an agent (role {@code agent}), judged the moment they arrive. An agent
 * pushes only for deployments of the services its token allows (docs/security.md, service scope): for another
 * service's deployment, and for one the monitor does not know (yet), a token limited to some services gets the same
 * 403 {@code forbidden-service}; only a token for every service gets 404 {@code watch-not-found}.
 */
@Path("/api/v1/samples")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "samples", description = "The push provider: measurements posted by an agent")
public class SampleResource {

    private final PushProvider push;
    private final SampleEvaluator evaluator;
    private final MonitorConfig config;
    private final Caller caller;

    public SampleResource(PushProvider push, SampleEvaluator evaluator, MonitorConfig config, Caller caller) {
        this.push = push;
        this.evaluator = evaluator;
        this.config = config;
        this.caller = caller;
    }

    @POST
    @RolesAllowed(Roles.AGENT)
    @Operation(summary = "Push measurements for a deployment", description = "Role agent. Each sample is judged "
            + "against the watch's checks for its metric, in the order given; a sample that makes a check reach its "
            + "failure limit opens a breach episode and emits one ThresholdBreached. 403 `forbidden-service` when "
            + "the token does not allow the watch's service, or when the deployment is unknown to the monitor and "
            + "the token is limited to some services (404 `watch-not-found` only for an all-services token). "
            + "`observedAt` defaults to the time of receipt, `version` to the version under watch. Samples of "
            + "another version are accepted but not judged; those of the stable version (`previousVersion`) become "
            + "the baseline of the `BASELINE_*` checks on their metric (`note` says so). Each judged check shows "
            + "its outcome, failures, `inBreach`, `compared` (the figure compared with the range), `baseline`, "
            + "`reason` (why nothing could be compared), `breachEventId` when the sample opened an episode and "
            + "`recoveryEventId` when it closed one. A batch is all or nothing: any invalid sample refuses the "
            + "whole batch and records nothing.")
    @APIResponse(responseCode = "202", description = "What every sample was judged by: `samples`, "
            + "`measurements`, `breachEventIds`, `evaluated`")
    @APIResponse(responseCode = "400", description = "`validation`: missing deploymentId, empty `samples`, a sample "
            + "without metric or value (`errors[]` lists the fields); `malformed-body`: not JSON, a value of the "
            + "wrong type (e.g. `\"value\": \"high\"`) or an unknown field; `invalid-sample`: a non-finite value, or "
            + "`observedAt` more than `rollwatch.monitor.max-clock-skew` in the future; `too-many-samples`: more than "
            + "`rollwatch.monitor.max-samples-per-request`", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "401", description = AnalysisResource.UNAUTHORIZED,
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = "`forbidden`: the token has no `agent` role; "
            + "`forbidden-service`: the watch's service is not among the token's services, or the deployment is "
            + "unknown and the token is limited to some services (the same answer, which says nothing about "
            + "whether it exists)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = "`watch-not-found`: no watch for the deployment (unknown, or "
            + "its DeploymentStarted not consumed yet); only to a token of every service",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "`watch-stopped`: the watch has stopped; samples are no longer "
            + "judged (extension `deploymentId`)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "411", description = "`length-required`: a body without `Content-Length`",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "413", description = "`body-too-large`: a body over "
            + "`quarkus.http.limits.max-body-size` (1 MiB)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = "`rate-limited`: too many pushes from this identity "
            + "(`Retry-After`; burst 60, then 10/s by default: give each agent its own subject)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response post(@NotNull @Valid SampleRequests.PostSamples request) {
        long received = System.nanoTime();
        // Checked under the watch's lock: a deployment this token may not push for, and one the monitor does not
        // know (yet), are the same 403 to a token limited to some services; only an all-services token sees 404.
        String deployment = "deployment " + request.deploymentId();
        List<SampleEvaluator.SampleEvaluation> evaluated = accept(push, config, request,
                service -> caller.requireServiceOf(deployment, service), Telemetry.RECORDED);
        evaluator.recordBreachLatency(received, evaluated);
        return Response.accepted(accepted(request, evaluated)).build();
    }

    /**
     * Everything {@link #post} does below HTTP except the caller's scope check and the latency meter: the batch
     * checked against the limits, then judged (recorded, a breach written with its event through the outbox). Shared
     * with the start-up warm-up ({@link BreachWarmup}, {@link Telemetry#SILENT}).
     */
    static List<SampleEvaluator.SampleEvaluation> accept(PushProvider push, MonitorConfig config,
            SampleRequests.PostSamples request, Consumer<String> requireService, Telemetry telemetry) {
        validate(request, config);
        return push.accept(request.deploymentId(),
                request.samples().stream().map(SampleRequests.Sample::toSample).toList(), requireService, telemetry);
    }

    /** The 202's body: what every sample was judged by, and the breaches the batch opened. */
    static SampleRequests.SamplesAccepted accepted(SampleRequests.PostSamples request,
            List<SampleEvaluator.SampleEvaluation> evaluated) {
        List<String> breaches = evaluated.stream().flatMap(e -> e.checks().stream())
                .map(SampleEvaluator.CheckEvaluation::breachEventId).filter(Objects::nonNull).toList();
        int measurements = evaluated.stream().mapToInt(e -> e.checks().size()).sum();
        return new SampleRequests.SamplesAccepted(request.deploymentId(), evaluated.size(), measurements, breaches,
                evaluated);
    }

    private static void validate(SampleRequests.PostSamples request, MonitorConfig config) {
        if (request.samples().size() > config.maxSamplesPerRequest()) {
            throw ProblemException.badRequest("too-many-samples", request.samples().size()
                    + " samples in one request; at most " + config.maxSamplesPerRequest());
        }
        Instant latest = Instant.now().plus(config.maxClockSkew());
        for (int i = 0; i < request.samples().size(); i++) {
            SampleRequests.Sample s = request.samples().get(i);
            if (s.value().isNaN() || s.value().isInfinite()) {
                throw ProblemException.badRequest("invalid-sample", "samples[" + i + "].value must be a finite number");
            }
            if (s.observedAt() != null && s.observedAt().isAfter(latest)) {
                throw ProblemException.badRequest("invalid-sample", "samples[" + i + "].observedAt " + s.observedAt()
                        + " is in the future (more than " + config.maxClockSkew() + " ahead)");
            }
        }
    }
}
