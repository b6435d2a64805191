package dev.rollwatch.monitor.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventType;
import dev.rollwatch.events.Measure;
import dev.rollwatch.monitor.config.MonitorConfig;
import dev.rollwatch.monitor.domain.CheckRule;
import dev.rollwatch.monitor.provider.push.PushProvider;
import dev.rollwatch.monitor.service.SampleEvaluator;
import dev.rollwatch.monitor.service.Telemetry;
import dev.rollwatch.monitor.service.WatchService;
import dev.rollwatch.platform.warmup.Warmup;
import dev.rollwatch.platform.warmup.WarmupTask;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code POST /api/v1/samples} below HTTP, at start-up, up to the breach's outbox row (the first breach after a start
 * took 51 ms from the pushed sample to ThresholdBreached created, and 60 ms more to the Kafka producer; the later ones
 * 13–18 and 10–14). Each run:
 * <ol>
 *   <li>encodes a batch with the request mapper, decodes it into {@link SampleRequests.PostSamples} and checks its
 *       constraints as the endpoint does;</li>
 *   <li>in a transaction that is rolled back: creates a watch from the contract's golden {@code DeploymentStarted}
 *       with fresh ids, by the DeploymentStarted consumer's own code ({@link WatchService#start}), then judges the
 *       batch by the endpoint's own code ({@link SampleResource#accept}: limits, the watch's row lock, its checks,
 *       the reading and its series points, and — its samples fail the watch's first value check {@code failureLimit}
 *       times in a row — the breach row and the ThresholdBreached in the outbox);</li>
 *   <li>encodes the 202's body.</li>
 * </ol>
 * Nothing stays: every row is rolled back (and every id is fresh, so a flush before the rollback violates nothing),
 * the outbox relay publishes only what commits, and {@link Telemetry#SILENT} keeps the meters and the log as they
 * were. Not run: the HTTP layer (JWT verification, the rate limit, Vert.x), the caller's scope check and the latency
 * meter, and the relay's hand-over to Kafka (the platform's warm-up fetches the topics' metadata).
 */
@ApplicationScoped
public class BreachWarmup implements WarmupTask {

    private final WatchService watches;
    private final PushProvider push;
    private final MonitorConfig config;
    private final ObjectMapper json;
    private final Validator validator;

    public BreachWarmup(WatchService watches, PushProvider push, MonitorConfig config, ObjectMapper json,
            Validator validator) {
        this.watches = watches;
        this.push = push;
        this.config = config;
        this.json = json;
        this.validator = validator;
    }

    @Override
    public String name() {
        return "sample push to breach (rolled back)";
    }

    @Override
    public void run() throws IOException {
        run(next());
    }

    /** One run's input: the DeploymentStarted its watch is created from and the JSON body pushed for it. */
    record Rehearsal(Envelope<DeploymentStarted> started, byte[] body) {
        String deploymentId() {
            return started.subject();
        }
    }

    /**
     * Fresh ids (the golden DeploymentStarted's id and subject, so the breach and outbox ids derived from them) and
     * a batch for them: the stable version's value of the first value check's metric, then {@code failureLimit}
     * values of the version under watch beyond its bound.
     */
    Rehearsal next() throws IOException {
        Envelope<DeploymentStarted> started = Warmup.goldenEvent(EventType.DEPLOYMENT_STARTED,
                DeploymentStarted.class);
        DeploymentStarted d = started.data();
        CheckRule check = WatchService.rulesFor(d).stream().filter(r -> r.measure() == Measure.VALUE).findFirst()
                .orElseThrow(() -> new IllegalStateException("the golden DeploymentStarted has no value check"));
        Instant now = Instant.now();
        List<Map<String, Object>> samples = new ArrayList<>();
        if (d.previousVersion() != null) {
            samples.add(sample(check.metric(), check.max() != null ? check.max() : check.min(), now,
                    d.previousVersion()));
        }
        for (int i = 0; i < check.failureLimit(); i++) {
            samples.add(sample(check.metric(), breaching(check), now.minusMillis(check.failureLimit() - i), null));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deploymentId", started.subject());
        body.put("samples", samples);
        return new Rehearsal(started, json.writeValueAsBytes(body));
    }

    /** Decodes, checks, judges in a rolled-back transaction, encodes the answer; returns the answer. */
    SampleRequests.SamplesAccepted run(Rehearsal rehearsal) throws IOException {
        SampleRequests.PostSamples request = decode(rehearsal.body());
        AtomicReference<SampleRequests.SamplesAccepted> answer = new AtomicReference<>();
        Warmup.inRolledBackTransaction(() -> answer.set(rehearse(rehearsal.started(), request)));
        json.writeValueAsBytes(answer.get());
        return answer.get();
    }

    /** The body as the endpoint reads it: the request mapper, then the parameter's constraints. */
    SampleRequests.PostSamples decode(byte[] body) throws IOException {
        SampleRequests.PostSamples request = json.readValue(body, SampleRequests.PostSamples.class);
        Set<ConstraintViolation<SampleRequests.PostSamples>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new IllegalStateException("the warm-up's own batch is invalid: " + violations);
        }
        return request;
    }

    /**
     * In the caller's transaction: the watch created as its DeploymentStarted creates it, the batch judged as the
     * endpoint judges it, silently. Throws when the batch opened no breach (the breach path did not run).
     */
    SampleRequests.SamplesAccepted rehearse(Envelope<DeploymentStarted> started,
            SampleRequests.PostSamples request) {
        watches.start(started, Telemetry.SILENT);
        List<SampleEvaluator.SampleEvaluation> evaluated = SampleResource.accept(push, config, request,
                service -> { }, Telemetry.SILENT);
        SampleRequests.SamplesAccepted answer = SampleResource.accepted(request, evaluated);
        if (answer.breachEventIds().isEmpty()) {
            throw new IllegalStateException("the warm-up's batch opened no breach: " + evaluated);
        }
        return answer;
    }

    private static Map<String, Object> sample(String metric, double value, Instant at, String version) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("metric", metric);
        s.put("value", value);
        s.put("observedAt", at);
        if (version != null) {
            s.put("version", version);
        }
        return s;
    }

    /** A value the check's range does not hold: over its max, or under its min. */
    private static double breaching(CheckRule check) {
        if (check.max() != null) {
            return check.max() > 0 ? check.max() * 2 : check.max() + 1;
        }
        return check.min() > 0 ? check.min() / 2 : check.min() - 1;
    }
}
