package dev.rollwatch.monitor.rest;

import dev.rollwatch.monitor.config.MonitorConfig;
import dev.rollwatch.monitor.provider.push.PushProvider;
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
 * pushes only for deployments of the services its token allows (docs/security.md, service scope): for another
 * service's deployment, and for one the monitor does not know (yet), a token limited to some services gets the same
 * 403 {@code forbidden-service}; only a token for every service gets 404 {@code watch-not-found}.
 */
@Path("/api/v1/samples")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
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
            + "the token is limited to some services (404 `watch-not-found` only for an all-services token).")
    public Response post(@NotNull @Valid SampleRequests.PostSamples request) {
        long received = System.nanoTime();
        validate(request);
        // Checked under the watch's lock: a deployment this token may not push for, and one the monitor does not
        // know (yet), are the same 403 to a token limited to some services; only an all-services token sees 404.
        String deployment = "deployment " + request.deploymentId();
        List<SampleEvaluator.SampleEvaluation> evaluated = push.accept(request.deploymentId(),
                request.samples().stream().map(SampleRequests.Sample::toSample).toList(),
                service -> caller.requireServiceOf(deployment, service));
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
