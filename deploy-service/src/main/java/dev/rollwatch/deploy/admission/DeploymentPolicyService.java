package dev.rollwatch.deploy.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.platform.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deployment policies: reading the one in force, changing one (a new version, logged with the token subject), and
 * admitting a deployment at {@code POST /api/v1/deployments} — refused with 409 naming the broken rule unless an
 * operator overrides it with a reason.
 */
@ApplicationScoped
public class DeploymentPolicyService {

    private static final Logger LOG = Logger.getLogger(DeploymentPolicyService.class);

    private final DeploymentPolicyRepository policies;
    private final Clock clock;

    public DeploymentPolicyService(DeploymentPolicyRepository policies, Clock clock) {
        this.policies = policies;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PolicyView get(String service, String environment) {
        Optional<DeploymentPolicy> found = policies.effective(service, environment);
        PolicyDocument doc = found.map(DeploymentPolicyService::document).orElse(new PolicyDocument(null, null, null));
        PolicyRules rules = found.map(p -> PolicyRules.parse(document(p), environment)).orElse(PolicyRules.OPEN);
        Instant now = clock.instant();
        return new PolicyView(service, environment, found.map(p -> new PolicyView.Scope(p.service, p.environment))
                .orElse(null), found.map(p -> p.version).orElse(0), doc.requires(), doc.windows(), doc.freezes(),
                found.map(p -> p.changedBy).orElse(null), found.map(p -> p.changedAt).orElse(null),
                found.map(p -> p.reason).orElse(null), Admission.isOpen(rules, now),
                Admission.nextOpening(rules, now).orElse(null));
    }

    /** Stores a new version of the scope's policy; the author is the token subject. */
    @Transactional
    public PolicyView put(String service, String environment, PolicyRequest request, String changedBy) {
        PolicyDocument doc = request.document();
        PolicyRules.parse(doc, environment); // 400 before anything is stored
        DeploymentPolicy p = new DeploymentPolicy();
        p.service = service;
        p.environment = environment;
        p.version = policies.latest(service, environment).map(l -> l.version).orElse(0) + 1;
        p.rules = json(doc);
        p.changedBy = changedBy;
        p.changedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        p.reason = request.reason().trim();
        try {
            policies.persistAndFlush(p);
        } catch (ConstraintViolationException e) {
            throw ProblemException.conflict("concurrent-policy-change", "the deployment policy of " + service + "/"
                    + environment + " was changed at the same time; read it again and retry");
        }
        LOG.infof("deployment policy %s/%s version %d set by %s (%d required environments, %d windows, %d freezes): "
                + "%s", service, environment, p.version, changedBy, doc.requires().size(), doc.windows().size(),
                doc.freezes().size(), p.reason);
        return get(service, environment);
    }

    /**
     * Admits a deployment of {@code version} of {@code service} to {@code environment} now, or throws 409 naming
     * the first broken rule (all of them in {@code violations}). With an operator's {@code overrideReason} the
     * broken rules are let through and the returned text records what was overridden and why; null when nothing
     * needed overriding.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Admitted admit(String service, String environment, String version, String overrideReason,
            String requestedBy) {
        Optional<DeploymentPolicy> policy = policies.effective(service, environment);
        if (policy.isEmpty()) {
            return Admitted.NOTHING_OVERRIDDEN;
        }
        PolicyRules rules = PolicyRules.parse(document(policy.get()), environment);
        List<Admission.Success> successes = policies.successes(service, version,
                rules.requires().stream().map(PolicyRules.Requirement::environment).toList());
        List<Admission.Violation> violations = Admission.evaluate(rules, environment, version, successes,
                clock.instant());
        if (violations.isEmpty()) {
            return Admitted.NOTHING_OVERRIDDEN;
        }
        String scope = policy.get().service + "/" + policy.get().environment + " v" + policy.get().version;
        if (overrideReason == null) {
            Admission.Violation first = violations.get(0);
            ProblemException p = ProblemException.conflict(first.type(), first.detail()
                    + " (deployment policy " + scope + "; an operator may override with a reason)");
            first.facts().forEach(p::with);
            p.with("policy", scope);
            p.with("violations", violations.stream().map(DeploymentPolicyService::asMap).toList());
            LOG.infof("deployment of %s %s to %s by %s refused: %s: %s", service, version, environment, requestedBy,
                    first.type(), first.detail());
            throw p;
        }
        String overridden = String.join("; ", violations.stream().map(v -> v.type() + ": " + v.detail()).toList());
        LOG.infof("deployment of %s %s to %s: %s overrides policy %s (%s) because: %s", service, version,
                environment, requestedBy, scope, overridden, overrideReason);
        return new Admitted(overrideReason, overridden);
    }

    /**
     * What admission let through: the operator's reason and the rules it overrode (both null when none were broken).
     */
    public record Admitted(String reason, String overridden) {
        static final Admitted NOTHING_OVERRIDDEN = new Admitted(null, null);

        /** The text of {@code DeploymentStarted.override}: why, then what was overridden. */
        public String eventText() {
            return reason == null ? null : reason + " (overrides " + overridden + ")";
        }
    }

    private static Map<String, Object> asMap(Admission.Violation v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "https://rollwatch.dev/problems/" + v.type());
        m.put("detail", v.detail());
        m.putAll(v.facts());
        return m;
    }

    static PolicyDocument document(DeploymentPolicy p) {
        try {
            return EventCodec.mapper().readValue(p.rules, PolicyDocument.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored deployment policy " + p.id + " is unreadable", e);
        }
    }

    private static String json(PolicyDocument doc) {
        try {
            return EventCodec.mapper().writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
