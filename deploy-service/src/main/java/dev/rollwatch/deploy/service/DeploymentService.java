package dev.rollwatch.deploy.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.rollwatch.deploy.admission.DeploymentPolicyService;
import dev.rollwatch.deploy.domain.Deployment;
import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.registry.ServiceTargets;
import dev.rollwatch.deploy.repository.DeploymentRepository;
import dev.rollwatch.events.AnalysisSpec;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.events.Target;
import dev.rollwatch.platform.outbox.Outbox;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.deploy.driver.TargetDrivers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Starts deployments: the row and its DeploymentStarted event are written in one transaction. */
@ApplicationScoped
public class DeploymentService {

    public static final String SOURCE = Envelope.source("deploy-service");
    private static final Logger LOG = Logger.getLogger(DeploymentService.class);

    private final DeploymentRepository repository;
    private final Outbox outbox;
    private final TargetDrivers drivers;
    private final Event<EngineWake> wake;
    private final DeploymentPolicyService admission;
    private final StrategyMapper strategies;
    private final EventSizeLimit eventSize;
    private final ServiceTargets targets;
    private final Clock clock;

    public DeploymentService(DeploymentRepository repository, Outbox outbox, TargetDrivers drivers,
            Event<EngineWake> wake, DeploymentPolicyService admission, StrategyMapper strategies,
            EventSizeLimit eventSize, ServiceTargets targets, Clock clock) {
        this.targets = targets;
        this.clock = clock;
        this.eventSize = eventSize;
        this.repository = repository;
        this.outbox = outbox;
        this.drivers = drivers;
        this.wake = wake;
        this.admission = admission;
        this.strategies = strategies;
    }

    /** The outcome of a create call: the deployment, and whether this call created it (vs. an idempotent retry). */
    public record Created(Deployment deployment, boolean isNew) {
    }

    /** Starts a deployment for {@code requestedBy} (the token subject), or returns the one of the same key. */
    @Transactional
    public Created create(DeploymentRequests.CreateDeployment request, String idempotencyKey, String requestedBy) {
        if (idempotencyKey != null) {
            Optional<Deployment> earlier = repository.findByIdempotencyKey(idempotencyKey);
            if (earlier.isPresent()) {
                return new Created(earlier.get(), false);
            }
        }
        repository.findActive(request.service(), request.environment()).ifPresent(running -> {
            throw alreadyRunning(running.id, request.service(), request.environment());
        });
        String targetType = request.target() == null || request.target().type() == null ? "http"
                : request.target().type();
        if (!drivers.types().contains(targetType)) {
            throw ProblemException.badRequest("invalid-target", "target.type '" + targetType
                    + "' has no driver (known: " + String.join(", ", drivers.types()) + ")");
        }
        // The registered target (or, where registration is not required and there is none, the request's own), and
        // smoke checks only where it allows: 400 problems, nothing stored.
        ServiceTargets.Resolved where = targets.resolve(request);
        // The runbooks' default strategy when none is given.
        StrategyMapper.Plan plan = strategies.plan(request, where.url());
        targets.checkSmoke(where, plan.steps(), request.service(), request.environment());
        List<StepSpec> steps = plan.steps();
        AnalysisSpec analysis = plan.analysis();
        // Environment order, windows and freezes (409 naming the rule), unless an operator overrode them.
        DeploymentPolicyService.Admitted admitted = admission.admit(request.service(), request.environment(),
                request.version(), request.override() == null ? null : request.override().reason().trim(),
                requestedBy);
        Instant now = Instant.now(clock).truncatedTo(ChronoUnit.MICROS);

        Deployment d = new Deployment();
        d.id = UUID.randomUUID();
        d.service = request.service();
        d.environment = request.environment();
        d.version = request.version();
        d.previousVersion = request.previousVersion() != null ? request.previousVersion()
                : repository.lastSucceededVersion(request.service(), request.environment()).orElse(null);
        d.targetType = targetType;
        d.targetUrl = where.url();
        d.metricsUrl = where.metricsUrl();
        d.steps = toJson(steps);
        d.analysis = toJson(analysis);
        d.requestedBy = requestedBy;
        d.idempotencyKey = idempotencyKey;
        d.onFailure = plan.onFailure();
        d.afterStepBack = plan.afterStepBack();
        d.bakeWindowMs = plan.bakeWindow() == null ? null : plan.bakeWindow().toMillis();
        d.overrideReason = admitted.reason();
        d.overridden = DeploymentEvents.truncate(admitted.overridden());
        d.status = DeploymentStatus.PENDING;
        d.createdAt = now;
        d.updatedAt = now;
        d.moveTo(DeploymentStatus.RUNNING, null, now);
        Envelope<DeploymentStarted> started = Envelope.of(SOURCE, d.id.toString(), new DeploymentStarted(d.service,
                d.environment, d.version, d.previousVersion, new Target(d.targetType, d.targetUrl, d.metricsUrl),
                steps, analysis, d.requestedBy, plan.onFailure(), plan.afterStepBack(), plan.bakeWindow(),
                admitted.eventText())).at(now);
        // Before anything is stored: an event the broker cannot take would leave the deployment unwatched (413).
        eventSize.check(EventCodec.encode(started).length, "the deployment's DeploymentStarted event");
        try {
            repository.persistAndFlush(d);
        } catch (ConstraintViolationException e) {
            // Lost a race with a concurrent start for the same service and environment (or the same key).
            throw alreadyRunning(null, request.service(), request.environment());
        }
        outbox.publish(started);
        wake.fire(new EngineWake(d.id));
        LOG.infof("deployment %s started: %s %s -> %s by %s", d.id, d.service, d.environment, d.version,
                d.requestedBy);
        return new Created(d, true);
    }

    public Optional<Deployment> find(UUID id) {
        return repository.findByIdOptional(id);
    }

    private static ProblemException alreadyRunning(UUID running, String service, String environment) {
        ProblemException p = ProblemException.conflict("deployment-in-progress",
                "a deployment of " + service + " to " + environment + " is already in progress"
                        + (running != null ? ": " + running : ""));
        return running != null ? p.with("runningDeploymentId", running.toString()) : p;
    }

    static String toJson(Object value) {
        try {
            return EventCodec.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<StepSpec> stepsOf(Deployment d) {
        try {
            return EventCodec.mapper().readValue(d.steps, new TypeReference<List<StepSpec>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored steps of " + d.id + " are unreadable", e);
        }
    }

    public static AnalysisSpec analysisOf(Deployment d) {
        try {
            return EventCodec.mapper().readValue(d.analysis, AnalysisSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored analysis of " + d.id + " is unreadable", e);
        }
    }
}
