package dev.rollwatch.rollback.repository;

import dev.rollwatch.events.Severity;
import dev.rollwatch.rollback.domain.Decision;
import dev.rollwatch.rollback.domain.DecisionAction;
import dev.rollwatch.rollback.domain.DeploymentState;
import dev.rollwatch.rollback.domain.PriorBreach;
import dev.rollwatch.rollback.domain.RollbackStatus;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

@ApplicationScoped
public class DecisionRepository implements PanacheRepositoryBase<Decision, UUID> {

    /** Hibernate's "skip locked" lock timeout: another instance is already escalating that row. */
    private static final int SKIP_LOCKED = -2;

    /** The deployment's rollback that still counts (not one that stepped back), if any. */
    public Optional<Decision> rollbackOf(String deploymentId) {
        return find("deploymentId = ?1 and action = ?2 and (status is null or status <> ?3)",
                deploymentId, DecisionAction.ROLLBACK, RollbackStatus.STEPPED_BACK).firstResultOptional();
    }

    /** The deployment's latest rollback, whatever became of it. */
    public Optional<Decision> latestRollbackOf(String deploymentId) {
        return find("deploymentId = ?1 and action = ?2", Sort.descending("decidedAt"), deploymentId,
                DecisionAction.ROLLBACK).firstResultOptional();
    }

    /** CONDITIONAL decisions nobody resolved whose deadline has passed, locked; rows another instance holds skipped. */
    public List<Decision> dueConditionals(Instant now, int limit) {
        return find("action = ?1 and resolvedAt is null and decideBy <= ?2", Sort.ascending("decideBy"),
                DecisionAction.CONDITIONAL, now)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .page(Page.ofSize(limit)).list();
    }

    /**
     * Decisions a person had to act on (ALERT, CONDITIONAL, HOLD) past their respondBy, neither acknowledged,
     * resolved, followed up, nor overtaken by a rollback of the deployment, and not escalated yet; locked.
     */
    public List<Decision> unanswered(Instant now, int limit) {
        return find("""
                from Decision d where d.respondBy is not null and d.respondBy <= ?1 and d.acknowledgedAt is null
                and d.resolvedAt is null and d.unansweredEscalatedAt is null and d.action in ?2
                and not exists (select 1 from Decision f where f.followsUp = d.id)
                and not exists (select 1 from Decision r where r.deploymentId = d.deploymentId and r.action = ?3
                    and r.decidedAt >= d.decidedAt)
                order by d.respondBy""", now, List.of(DecisionAction.ALERT, DecisionAction.CONDITIONAL,
                DecisionAction.HOLD), DecisionAction.ROLLBACK)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .page(Page.ofSize(limit)).list();
    }

    /** Every earlier breach decision of a deployment (for the pack's count rules and the MONITOR repeat rule). */
    public List<PriorBreach> priorBreaches(String deploymentId) {
        return find("deploymentId = ?1 and breachEventId is not null and followsUp is null and severity is not null"
                + " and checkName is not null and observedAt is not null", deploymentId).stream()
                .map(d -> new PriorBreach(d.breachEventId, d.severity, d.checkName, d.observedAt))
                .toList();
    }

    public Optional<Decision> findByIdempotencyKey(String key) {
        return find("idempotencyKey", key).firstResultOptional();
    }

    /** Earlier breaches of the same check and severity of a deployment, for CONDITIONAL rules. */
    public List<PriorBreach> priorBreaches(String deploymentId, Severity severity, String check) {
        return find("deploymentId = ?1 and severity = ?2 and checkName = ?3 and breachEventId is not null"
                + " and followsUp is null", deploymentId, severity, check).stream()
                .map(d -> new PriorBreach(d.breachEventId, d.severity, d.checkName, d.observedAt))
                .toList();
    }

    /** Rollbacks still OPEN whose deadline has passed, locked; rows another instance holds are skipped. */
    public List<Decision> overdueRollbacks(Instant now, int limit) {
        return find("action = ?1 and status = ?2 and deadlineAt < ?3", Sort.ascending("deadlineAt"),
                DecisionAction.ROLLBACK, RollbackStatus.OPEN, now)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .page(Page.ofSize(limit)).list();
    }

    /**
     * Alerts of CONDITIONAL breaches below their repeat limit whose episode is still open — the deployment is still
     * ACTIVE, no newer breach of the same check has arrived (the monitor opens a new episode only after a recovery),
     * and no follow-up was decided yet — oldest first. Whether the window has passed is for the decision matrix.
     */
    public List<Decision> openConditionalAlerts(Instant afterDecidedAt, UUID afterId, int limit) {
        return find("""
                from Decision a where a.action = ?1 and (a.rule like '%-below-repeat-limit' or a.followUpAt is not null)
                and a.followsUp is null
                and (a.decidedAt > ?3 or (a.decidedAt = ?3 and a.id > ?4))
                and exists (select 1 from TrackedDeployment t where t.deploymentId = a.deploymentId and (t.state = ?2
                    or (t.state = ?5 and t.outcome = 'SUCCEEDED' and a.phase = 'bake')))
                and not exists (select 1 from Decision f where f.followsUp = a.id)
                and not exists (select 1 from Decision n where n.deploymentId = a.deploymentId
                    and n.checkName = a.checkName and n.breachEventId is not null and n.followsUp is null
                    and n.observedAt > a.observedAt)
                order by a.decidedAt, a.id""", DecisionAction.ALERT, DeploymentState.ACTIVE, afterDecidedAt, afterId,
                DeploymentState.FINISHED)
                .page(Page.ofSize(limit)).list();
    }

    /**
     * The alert decided when this breach arrived, if it was a CONDITIONAL breach below its repeat limit (the only
     * kind of decision whose episode the persistence rule follows up).
     */
    public Optional<Decision> conditionalAlertOf(String deploymentId, String breachEventId) {
        return find("deploymentId = ?1 and breachEventId = ?2 and followsUp is null and action = ?3"
                + " and (rule like '%-below-repeat-limit' or followUpAt is not null)", deploymentId, breachEventId,
                DecisionAction.ALERT)
                .firstResultOptional();
    }

    /** Whether the persistence check already followed this alert up. */
    public boolean followedUp(UUID alertId) {
        return count("followsUp", alertId) > 0;
    }

    /**
     * A filtered page of decisions, newest first; {@code services} is the caller's service scope ({@code null}: all
     * services, empty: none).
     */
    public record Filter(String deploymentId, String service, String environment, DecisionAction action,
            Set<String> services) {
    }

    public PanacheQuery<Decision> search(Filter filter, int page, int size) {
        List<String> clauses = new ArrayList<>();
        Parameters params = new Parameters();
        if (filter.deploymentId() != null) {
            clauses.add("deploymentId = :deploymentId");
            params.and("deploymentId", filter.deploymentId());
        }
        if (filter.service() != null) {
            clauses.add("service = :service");
            params.and("service", filter.service());
        }
        if (filter.environment() != null) {
            clauses.add("environment = :environment");
            params.and("environment", filter.environment());
        }
        if (filter.services() != null) {
            if (filter.services().isEmpty()) {
                clauses.add("1 = 0");
            } else {
                clauses.add("service in :services");
                params.and("services", filter.services());
            }
        }
        if (filter.action() != null) {
            clauses.add("action = :action");
            params.and("action", filter.action());
        }
        Sort sort = Sort.descending("decidedAt").and("id");
        PanacheQuery<Decision> query = clauses.isEmpty() ? findAll(sort)
                : find(String.join(" and ", clauses), sort, params);
        return query.page(Page.of(page, size));
    }
}
