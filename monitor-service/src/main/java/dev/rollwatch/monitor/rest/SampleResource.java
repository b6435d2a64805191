package dev.rollwatch.monitor.rest;

import dev.rollwatch.monitor.config.MonitorConfig;
import dev.rollwatch.monitor.provider.push.PushProvider;
import dev.rollwatch.monitor.service.AnalysisQuery;
import dev.rollwatch.monitor.service.SampleEvaluator;
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
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The push provider: measurements posted by an agent (role {@code agent}), judged the moment they arrive. An agent
 * whose token is limited to some services may push only for deployments of those services.
 */
@Path("/api/v1/samples")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SampleResource {

    private final PushProvider push;
    private final SampleEvaluator evaluator;
    private final MonitorConfig config;
    private final AnalysisQuery watches;
    private final Caller caller;

    public SampleResource(PushProvider push, SampleEvaluator evaluator, MonitorConfig config, AnalysisQuery watches,
            Caller caller) {
        this.push = push;
        this.evaluator = evaluator;
        this.config = config;
        this.watches = watches;
        this.caller = caller;
    }

    @POST
    @RolesAllowed(Roles.AGENT)
    @Operation(summary = "Push measurements for a deployment", description = "Role agent. Each sample is judged "
            + "against the watch's checks for its metric, in the order given; a sample that makes a check reach its "
            + "failure limit opens a breach episode and emits one ThresholdBreached. 403 `forbidden-service` when "
            + "the token does not allow the watch's service.")
    public Response post(@NotNull @Valid SampleRequests.PostSamples request) {
        long received = System.nanoTime();
        validate(request);
        if (caller.serviceScope() != null) {
            // Only a scoped token pays for the lookup; an unknown deployment is the evaluator's 404.
            watches.serviceOf(request.deploymentId()).ifPresent(caller::requireService);
        }
        List<SampleEvaluator.SampleEvaluation> evaluated = push.accept(request.deploymentId(),
                request.samples().stream().map(SampleRequests.Sample::toSample).toList());
        List<String> breaches = evaluated.stream().flatMap(e -> e.checks().stream())
                .map(SampleEvaluator.CheckEvaluation::breachEventId).filter(Objects::nonNull).toList();
        evaluator.recordBreachLatency(received, evaluated);
        int measurements = evaluated.stream().mapToInt(e -> e.checks().size()).sum();
        return Response.accepted(new SampleRequests.SamplesAccepted(request.deploymentId(), evaluated.size(),
                measurements, breaches, evaluated)).build();
    }

    private void validate(SampleRequests.PostSamples request) {
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
