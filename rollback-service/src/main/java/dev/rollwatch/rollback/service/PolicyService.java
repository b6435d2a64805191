package dev.rollwatch.rollback.service;

import dev.rollwatch.events.Durations;
import dev.rollwatch.events.Severity;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.rollback.domain.Policy;
import dev.rollwatch.rollback.domain.PolicyChange;
import dev.rollwatch.rollback.domain.PolicyPack;
import dev.rollwatch.rollback.domain.PolicyRules;
import dev.rollwatch.rollback.domain.SeverityAction;
import dev.rollwatch.rollback.repository.PolicyRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Policy changes: validated, then stored as the scope's next version (earlier versions are never changed) and
 * published as PolicyChanged in the same transaction.
 */
@ApplicationScoped
public class PolicyService {

    private static final Logger LOG = Logger.getLogger(PolicyService.class);
    private static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final Pattern SCOPE = Pattern.compile("\\*|[a-z0-9][a-z0-9._-]{0,99}");

    private final PolicyRepository policies;
    private final DecisionEvents events;

    public PolicyService(PolicyRepository policies, DecisionEvents events) {
        this.policies = policies;
        this.events = events;
    }

    @Transactional
    public Policy change(String service, String environment, PolicyRequest request, String changedBy) {
        checkScope(service, environment);
        Policy base = policies.effective(service, environment);
        PolicyRules rules = merge(base.rules(), request);
        Policy next = policies.current(service, environment)
                .map(current -> current.next(rules, changedBy, request.reason(), Times.now()))
                .orElseGet(() -> Policy.first(service, environment, rules, changedBy, request.reason(),
                        Times.now()));
        try {
            policies.persistAndFlush(next);
        } catch (ConstraintViolationException e) {
            throw ProblemException.conflict("policy-changed-concurrently", "the policy of " + service + "/"
                    + environment + " was changed by someone else at the same time; read it and try again");
        }
        String eventId = events.policyChanged(next).id();
        LOG.infof("policy %d: %s/%s version %d by %s (event %s): %s", next.id, service, environment, next.version,
                changedBy, eventId, request.reason());
        return next;
    }

    static void checkScope(String service, String environment) {
        if (!SCOPE.matcher(service).matches() || !SCOPE.matcher(environment).matches()) {
            throw ProblemException.badRequest("invalid-scope", "service and environment must be lowercase "
                    + "letters, digits, . _ - (or * for any)");
        }
    }

    /** The requested policy: the request's fields over the one in force; refused with every problem at once. */
    static PolicyRules merge(PolicyRules base, PolicyRequest r) {
        List<PolicyChange.FieldError> errors = new ArrayList<>();
        Map<Severity, SeverityAction> actions = new EnumMap<>(base.actions());
        if (r.actions() != null) {
            Map<Severity, SeverityAction> requested = PolicyChange.actions(r.actions(), errors);
            actions.putAll(requested);
        }
        Duration window = duration("repeatWindow", r.repeatWindow(), base.repeatWindow(), errors);
        Duration deadline = duration("rollbackDeadline", r.rollbackDeadline(), base.rollbackDeadline(), errors);
        int repeatCount = r.repeatCount() != null ? r.repeatCount() : base.repeatCount();
        String pack = r.pack() != null ? r.pack().trim() : base.pack();
        if (PolicyPack.byRef(pack).isEmpty()) {
            errors.add(new PolicyChange.FieldError("pack", "unknown policy pack '" + pack + "' (use "
                    + PolicyPack.RUNBOOK_V1 + ")"));
        }
        Map<String, PolicyRules.RuleOverride> overrides = r.overrides() != null
                ? PolicyChange.overrides(r.overrides(), PolicyPack.byRef(pack).orElseGet(PolicyPack::runbook), errors)
                : base.overrides();
        String conditionalDefault = r.conditionalDefault() != null
                ? r.conditionalDefault().trim().toUpperCase(Locale.ROOT) : base.conditionalDefault();
        if (!PolicyRules.ROLLBACK.equals(conditionalDefault) && !PolicyRules.HOLD.equals(conditionalDefault)) {
            errors.add(new PolicyChange.FieldError("conditionalDefault", "must be ROLLBACK or HOLD"));
        }
        String deciders = r.deciders() != null ? r.deciders().trim() : base.deciders();
        if (!ROLE.matcher(deciders).matches()) {
            errors.add(new PolicyChange.FieldError("deciders", "must be a role name (lowercase letters, digits, -)"));
        }
        // Validate what could be read too, so one answer lists every problem.
        errors.addAll(PolicyChange.validate(actions, repeatCount, window, deadline));
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("invalid-policy", String.join("; ",
                    errors.stream().map(e -> e.field() + " " + e.message()).toList()))
                    .with("errors", errors.stream().map(e -> Map.of("field", e.field(), "message", e.message()))
                            .toList());
        }
        return new PolicyRules(base.policyId(), base.version(), actions, repeatCount, window,
                r.autoRollback() != null ? r.autoRollback() : base.autoRollback(),
                r.rollbackHold() != null ? r.rollbackHold() : base.rollbackHold(), deadline, pack, overrides,
                conditionalDefault, deciders);
    }

    private static Duration duration(String field, String text, Duration fallback,
            List<PolicyChange.FieldError> errors) {
        if (text == null) {
            return fallback;
        }
        return Durations.parse(text).orElseGet(() -> {
            errors.add(new PolicyChange.FieldError(field, "'" + text + "' is not a duration (use 30s, 5m, 1h or "
                    + "PT5M)"));
            return fallback;
        });
    }
}
