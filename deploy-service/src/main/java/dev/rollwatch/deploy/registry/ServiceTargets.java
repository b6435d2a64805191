package dev.rollwatch.deploy.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.rollwatch.deploy.config.DeployConfig;
import dev.rollwatch.deploy.service.DeploymentRequests;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.SmokeCheck;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.events.webhook.StandardWebhooks;
import dev.rollwatch.platform.http.OutboundUrlPolicy;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.secrets.SecretBox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The registered targets (issue 17, 1): admins register, per service and environment, the target URL, the metrics
 * URL, the hosts smoke checks may call besides the target's origin, and the target's own signing secret (sealed with
 * platform's {@link SecretBox}, write-only). Deployments resolve their target here: a registration binds its service
 * and environment (a deployment may name no other URL), and with {@code rollwatch.deploy.targets.require-registration}
 * (the default) a service and environment without one cannot be deployed.
 */
@ApplicationScoped
public class ServiceTargets {

    private static final Logger LOG = Logger.getLogger(ServiceTargets.class);
    private static final String HOW = "an admin registers it with PUT /api/v1/services/{service}/environments/"
            + "{environment}";

    private final ServiceTargetRepository repository;
    private final SecretBox box;
    private final boolean requireRegistration;
    private final OutboundUrlPolicy policy;
    private final Clock clock;

    public ServiceTargets(ServiceTargetRepository repository, SecretBox box, DeployConfig config,
            OutboundUrlPolicy policy, Clock clock) {
        this.repository = repository;
        this.clock = clock;
        this.box = box;
        this.policy = policy;
        this.requireRegistration = config.targets().requireRegistration();
    }

    /** The result of a PUT: the view, and whether the registration is new. */
    public record Saved(TargetView view, boolean created) {
    }

    /** Where a deployment goes: its target and metrics URLs, and the registration they come from (null: ad hoc). */
    public record Resolved(String url, String metricsUrl, ServiceTarget registration) {
    }

    @Transactional
    public Saved put(String service, String environment, TargetRegistration request, String by) {
        URI target = TargetUrls.base(request.targetUrl(), "targetUrl");
        if (request.metricsUrl() != null) {
            TargetUrls.absolute(request.metricsUrl(), "metricsUrl");
            if (request.metricsUrl().indexOf('#') >= 0) {
                throw ProblemException.badRequest("invalid-target", "metricsUrl must not have a fragment");
            }
        }
        List<String> hosts = hosts(request.smokeHosts());
        vet(request.targetUrl(), "targetUrl", environment);
        if (request.metricsUrl() != null) {
            vet(request.metricsUrl(), "metricsUrl", environment);
        }
        String secret = request.signingSecret();
        if (secret != null && !secret.isEmpty()) {
            try {
                new StandardWebhooks(secret);
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("invalid-signing-secret", "signingSecret must be a Standard "
                        + "Webhooks secret: whsec_ followed by at least 16 bytes in base64");
            }
        }
        ServiceTarget t = repository.find(service, environment).orElse(null);
        boolean created = t == null;
        if (created) {
            t = new ServiceTarget();
            t.service = service;
            t.environment = environment;
        } else if (secret == null && t.signingSecret != null && !TargetUrls.same(t.targetUrl, request.targetUrl())) {
            // Else whoever may change the URL could send the target's signed calls somewhere else.
            throw ProblemException.badRequest("signing-secret-required", "targetUrl changes while a signing secret "
                    + "is set: give signingSecret again (or \"\" to remove it)");
        }
        String secretChange = secret == null ? (t.signingSecret == null ? "none" : "kept")
                : secret.isEmpty() ? "removed" : "set";
        t.targetUrl = TargetUrls.trimmed(request.targetUrl());
        t.metricsUrl = request.metricsUrl();
        t.smokeHosts = EventCodec.mapper().valueToTree(hosts).toString();
        if (secret != null) {
            t.signingSecret = secret.isEmpty() ? null : box.seal(secret);
        }
        t.updatedBy = by;
        t.updatedAt = Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
        try {
            if (created) {
                repository.persistAndFlush(t);
            } else {
                repository.flush();
            }
        } catch (ConstraintViolationException e) {
            throw ProblemException.conflict("concurrent-change", "the target of " + service + "/" + environment
                    + " was registered at the same time by someone else: try again");
        }
        LOG.infof("target of %s/%s %s by %s: %s (metrics %s, %d smoke hosts, signing secret %s)", service,
                environment, created ? "registered" : "changed", by, TargetUrls.origin(target), t.effectiveMetricsUrl()
                        .replaceAll("\\?.*", ""), hosts.size(), secretChange);
        return new Saved(TargetView.of(t), created);
    }

    @Transactional
    public Optional<TargetView> get(String service, String environment) {
        return repository.find(service, environment).map(TargetView::of);
    }

    @Transactional
    public List<TargetView> ofService(String service) {
        return repository.ofService(service).stream().map(TargetView::of).toList();
    }

    @Transactional
    public boolean delete(String service, String environment, String by) {
        Optional<ServiceTarget> t = repository.find(service, environment);
        t.ifPresent(repository::delete);
        t.ifPresent(x -> LOG.infof("target of %s/%s removed by %s", service, environment, by));
        return t.isPresent();
    }

    /**
     * The target a deployment request goes to (in the create transaction). A registration binds: the request may
     * leave the target out, or name exactly the registered URLs. Without one, only when registration is not required,
     * the request's own URLs (no query, fragment or user info in the target URL). Refusals are 400 problems:
     * {@code target-not-registered}, {@code unregistered-url}, {@code invalid-target}.
     */
    public Resolved resolve(DeploymentRequests.CreateDeployment request) {
        DeploymentRequests.Target asked = request.target();
        String scope = request.service() + "/" + request.environment();
        ServiceTarget t = repository.find(request.service(), request.environment()).orElse(null);
        if (t == null) {
            if (requireRegistration) {
                throw ProblemException.badRequest("target-not-registered", "no target is registered for " + scope
                        + ": " + HOW);
            }
            if (asked == null || asked.url() == null) {
                throw ProblemException.badRequest("target-not-registered", "no target is registered for " + scope
                        + ", so the request must name target.url (or " + HOW + ")");
            }
            TargetUrls.base(asked.url(), "target.url");
            vet(asked.url(), "target.url", request.environment());
            String metrics = asked.metricsUrl();
            if (metrics != null) {
                TargetUrls.absolute(metrics, "target.metricsUrl");
                vet(metrics, "target.metricsUrl", request.environment());
            }
            return new Resolved(asked.url(), metrics != null ? metrics : TargetUrls.trimmed(asked.url()) + "/metrics",
                    null);
        }
        if (asked != null && asked.url() != null && !TargetUrls.same(asked.url(), t.targetUrl)) {
            throw unregistered("target.url", scope, "is not the registered target URL");
        }
        if (asked != null && asked.metricsUrl() != null && !TargetUrls.same(asked.metricsUrl(),
                t.effectiveMetricsUrl())) {
            throw unregistered("target.metricsUrl", scope, "is not the registered metrics URL");
        }
        return new Resolved(t.targetUrl, t.effectiveMetricsUrl(), t);
    }

    /**
     * Refuses a smoke check of a registered target's deployment whose URL is outside the target's origin and the
     * registered smoke hosts (400 {@code unregistered-url}); an ad-hoc deployment's checks are only checked for form.
     */
    public void checkSmoke(Resolved resolved, List<StepSpec> steps, String service, String environment) {
        String scope = service + "/" + environment;
        for (int i = 0; i < steps.size(); i++) {
            StepSpec s = steps.get(i);
            if (s.kind() != StepKind.SMOKE || s.checks() == null) {
                continue;
            }
            for (int j = 0; j < s.checks().size(); j++) {
                SmokeCheck c = s.checks().get(j);
                String field = "strategy.steps[" + i + "].smoke.checks[" + j + "].url";
                URI u = TargetUrls.absolute(c.url(), field);
                if (resolved.registration() == null) {
                    vet(c.url(), field, environment);
                } else if (!TargetUrls.smokeAllowed(u, URI.create(
                        resolved.registration().targetUrl), hostsOf(resolved.registration()))) {
                    throw unregistered(field, scope, "is neither on the target's origin nor on a registered smoke "
                            + "host (" + u.getHost() + ":" + TargetUrls.port(u) + ")");
                }
            }
        }
    }

    /**
     * The signing secret of the registered target of {@code service}/{@code environment} when {@code url} is that
     * target and it has one (opened from its sealed form), else empty: the driver then uses the global secret.
     */
    public Optional<String> signingSecret(String service, String environment, String url) {
        Optional<String> sealed = QuarkusTransaction.joiningExisting().call(() -> repository.find(service, environment)
                .filter(t -> t.signingSecret != null && TargetUrls.same(t.targetUrl, url)).map(t -> t.signingSecret));
        return sealed.map(box::open);
    }

    /** 400 {@code destination-refused} when the outbound policy refuses {@code url} for {@code environment}. */
    private void vet(String url, String field, String environment) {
        try {
            policy.check(url, environment);
        } catch (OutboundUrlPolicy.RefusedDestination e) {
            throw ProblemException.badRequest("destination-refused", field + " is refused by the outbound policy: "
                    + e.getMessage()).with("field", field);
        }
    }

    static List<String> hostsOf(ServiceTarget t) {
        try {
            return EventCodec.mapper().readValue(t.smokeHosts, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored smoke hosts of " + t.service + "/" + t.environment
                    + " are unreadable", e);
        }
    }

    private static List<String> hosts(List<String> given) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        if (given != null) {
            for (int i = 0; i < given.size(); i++) {
                String h = given.get(i).trim().toLowerCase(Locale.ROOT);
                if (!TargetUrls.HOST.matcher(h).matches()) {
                    throw ProblemException.badRequest("invalid-target", "smokeHosts[" + i + "] must be host or "
                            + "host:port (no scheme, path or user info)");
                }
                out.add(h);
            }
        }
        return new ArrayList<>(out);
    }

    private static ProblemException unregistered(String field, String scope, String what) {
        return ProblemException.badRequest("unregistered-url", field + " " + what + " of " + scope + " (GET "
                + "/api/v1/services/{service}/environments/{environment} shows it)").with("field", field);
    }
}
