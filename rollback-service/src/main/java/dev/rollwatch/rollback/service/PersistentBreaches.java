package dev.rollwatch.rollback.service;

import dev.rollwatch.rollback.config.RollbackConfig;
import dev.rollwatch.rollback.domain.BreachRecovery;
import dev.rollwatch.rollback.domain.Decision;
import dev.rollwatch.rollback.domain.DecisionAction;
import dev.rollwatch.rollback.domain.DecisionMatrix;
import dev.rollwatch.rollback.domain.OpenBreach;
import dev.rollwatch.rollback.domain.Policy;
import dev.rollwatch.rollback.domain.TrackedDeployment;
import dev.rollwatch.rollback.domain.Verdict;
import dev.rollwatch.rollback.repository.BreachRecoveryRepository;
import dev.rollwatch.rollback.repository.DecisionRepository;
import dev.rollwatch.rollback.repository.PolicyRepository;
import dev.rollwatch.rollback.repository.TrackedDeploymentRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * "P2 persisting past its window rolls back." The monitor announces one ThresholdBreached per breach episode and a
 * ThresholdRecovered when the episode ends, so a CONDITIONAL breach that was alerted on, has no recovery and no
 * newer breach of the same check is still failing. This check decides such open episodes again once the policy's
 * window has passed ({@link DecisionMatrix#persisted}): a follow-up decision ({@code followsUp} = the alert) that
 * rolls back, or is held by a freeze or auto-rollback off. An episode whose recovery is known is followed up at once
 * by {@link #followUp} (called when the recovery or the breach arrives): "recovered after X, alert only" if it
 * recovered within the window. One follow-up per alert (checked under the deployment's lock, and a unique index).
 */
@ApplicationScoped
public class PersistentBreaches {

    private static final Logger LOG = Logger.getLogger(PersistentBreaches.class);

    private final DecisionRepository decisions;
    private final BreachRecoveryRepository recoveries;
    private final TrackedDeploymentRepository deployments;
    private final PolicyRepository policies;
    private final RollbackRequester requester;
    private final DecisionEvents events;
    private final DecisionMetrics metrics;
    private final RollbackConfig config;
    private final Clock clock;

    public PersistentBreaches(DecisionRepository decisions, BreachRecoveryRepository recoveries,
            TrackedDeploymentRepository deployments, PolicyRepository policies, RollbackRequester requester,
            DecisionEvents events, DecisionMetrics metrics, RollbackConfig config, Clock clock) {
        this.clock = clock;
        this.decisions = decisions;
        this.recoveries = recoveries;
        this.deployments = deployments;
        this.policies = policies;
        this.requester = requester;
        this.events = events;
        this.metrics = metrics;
        this.config = config;
    }

    /** A bound on one check's work (pages of {@code persistence-batch} open episodes); the next check goes on. */
    private static final int MAX_PAGES_PER_CHECK = 1000;

    @Scheduled(every = "${rollwatch.rollback.persistence-check-interval:5s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Cursor cursor = Cursor.START;
        try {
            // Every open episode is looked at on every check, a page per transaction (oldest first), so a long
            // window at the head of the queue never hides a shorter one that is due behind it.
            for (int page = 0; cursor != null && page < MAX_PAGES_PER_CHECK; page++) {
                Cursor from = cursor;
                cursor = QuarkusTransaction.requiringNew().call(() -> decidePage(now, from));
            }
        } catch (RuntimeException e) {
            LOG.warnf("persistence check failed, retrying at the next interval: %s", e.getMessage());
        }
    }

    /** Where the next page of open episodes starts (after this alert), or null when there is none. */
    record Cursor(Instant decidedAt, UUID id) {
        static final Cursor START = new Cursor(Instant.EPOCH, new UUID(0, 0));
    }

    /** Decides the open CONDITIONAL episodes of one page whose window has passed at {@code now}. */
    private Cursor decidePage(Instant now, Cursor from) {
        List<Decision> page = decisions.openConditionalAlerts(from.decidedAt(), from.id(), config.persistenceBatch());
        for (Decision alert : page) {
            Optional<TrackedDeployment> locked = deployments.lock(alert.deploymentId);
            if (locked.isEmpty() || decisions.followedUp(alert.id)) {
                continue; // another instance decided it between the query and the lock
            }
            followUp(alert, locked.get(), now);
        }
        if (page.size() < config.persistenceBatch()) {
            return null;
        }
        Decision last = page.get(page.size() - 1);
        return new Cursor(last.decidedAt, last.id);
    }

    /**
     * Decides the alert's episode again if there is something to decide at {@code now}: it recovered (at once), or
     * it is still open past the window. The caller holds the deployment's lock. Empty when nothing was decided.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Decision> followUp(Decision alert, TrackedDeployment deployment, Instant now) {
        if (decisions.followedUp(alert.id)) {
            return Optional.empty();
        }
        Optional<BreachRecovery> recovery = recoveries.ofBreach(alert.breachEventId);
        Policy policy = policies.effective(deployment.service, deployment.environment);
        OpenBreach open = new OpenBreach(alert.breachEventId, alert.severity, alert.checkName, alert.observedAt,
                alert.decidedAt, recovery.map(r -> r.recoveredAt).orElse(null));
        DecisionMatrix.Situation situation = requester.situation(deployment);
        if (situation == DecisionMatrix.Situation.SUCCEEDED || situation
                == DecisionMatrix.Situation.SUCCEEDED_NO_KNOWN_GOOD) {
            if (!"bake".equals(alert.phase)) {
                return Optional.empty();
            }
        }
        // A rule that rolls back once sustained names when; the MONITOR repeat rule's window is the policy's.
        Optional<Verdict> verdict = alert.followUpAt != null
                ? DecisionMatrix.sustained(open, alert.rule, alert.followUpAt, situation, policy.rules(), now)
                : DecisionMatrix.persisted(open, situation, policy.rules(), now);
        return verdict.map(v -> record(alert, deployment, policy, v, recovery.orElse(null), now));
    }

    private Decision record(Decision alert, TrackedDeployment deployment, Policy policy, Verdict verdict,
            BreachRecovery recovery, Instant now) {
        Decision d = Decision.about(deployment, verdict.action(), verdict.rule(), verdict.reason(), now);
        d.severity = alert.severity;
        d.checkName = alert.checkName;
        d.breachEventId = alert.breachEventId;
        d.breachSource = alert.breachSource;
        d.observedAt = alert.observedAt;
        d.figuresOf(alert);
        d.ruleVersion = alert.ruleVersion;
        d.policyId = policy.id;
        d.policyVersion = policy.version;
        d.followsUp = alert.id;
        d.phase = alert.phase;
        d.policyPack = alert.policyPack;
        d.packRule = alert.packRule;
        d.seedRule = alert.seedRule;
        if (recovery != null) {
            d.recoveryEventId = recovery.eventId;
            d.recoveredAt = recovery.recoveredAt;
        }
        if (verdict.action() == DecisionAction.ROLLBACK) {
            requester.request(deployment, d, policy, verdict.breachEventIds(), verdict.detectedAt(),
                    alert.breachEventId, now);
        } else {
            d.respondWithinTarget();
            decisions.persist(d);
            // A recovered episode's decision is caused by the recovery; a held one by the breach that persisted.
            events.decided(d, recovered(verdict) ? recovery.eventId : alert.breachEventId);
        }
        metrics.decided(d);
        LOG.infof("decision %s: deployment %s breach %s %s -> %s (rule %s, policy %d v%d, follows up %s): %s",
                d.id, deployment.deploymentId, alert.breachEventId, recovered(verdict) ? "recovered" : "persisted",
                d.action, d.rule, policy.id, policy.version, alert.id, d.reason);
        return d;
    }

    private static boolean recovered(Verdict verdict) {
        return verdict.rule().endsWith("-recovered");
    }
}
