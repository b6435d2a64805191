package dev.rollwatch.monitor.service;

import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.monitor.domain.EarlyEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The deployment's events are on four topics (deployment-started, step-started, step-completed,
 * deployment-finished), consumed on four threads: a StepStarted can be applied before the DeploymentStarted that
 * creates the watch. Such events are kept ({@link EarlyEvent}) and applied when the watch starts. The consumers of
 * one deployment's events take a transaction-scoped advisory lock on its id first, so "no watch yet, keep it" and
 * "start the watch, apply what was kept" can never miss each other.
 */
@ApplicationScoped
public class EarlyEvents {

    private static final Logger LOG = Logger.getLogger(EarlyEvents.class);
    /** Kept events of a deployment whose DeploymentStarted never came are dropped after this. */
    static final Duration KEEP = Duration.ofDays(1);

    private final Counter kept;

    public EarlyEvents(MeterRegistry registry) {
        this.kept = Counter.builder("rollwatch.monitor.early.events")
                .description("Step and finish events that arrived before their DeploymentStarted and were kept")
                .register(registry);
    }

    /** Serializes this deployment's lifecycle events across consumer threads and instances, until commit. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lock(String deploymentId) {
        Panache.getEntityManager()
                .createNativeQuery("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(hashtext(?1))) l")
                .setParameter(1, deploymentId).getSingleResult();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void keep(String eventId, String deploymentId, EarlyEvent.Kind kind, Integer stepIndex, Integer weight,
            Instant deadline, DeploymentOutcome outcome) {
        if (Panache.getEntityManager().find(EarlyEvent.class, eventId) != null) {
            return;
        }
        EarlyEvent e = new EarlyEvent();
        e.eventId = eventId;
        e.deploymentId = deploymentId;
        e.kind = kind;
        e.stepIndex = stepIndex;
        e.weight = weight;
        e.deadline = deadline;
        e.outcome = outcome;
        e.receivedAt = WatchService.now();
        Panache.getEntityManager().persist(e);
        kept.increment();
        LOG.infof("%s event %s of deployment %s (step %s) arrived before DeploymentStarted: kept until the watch"
                + " starts", kind, eventId, deploymentId, stepIndex);
    }

    /** The kept events of a deployment, removed: steps in step order (started before completed), finish last. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<EarlyEvent> take(String deploymentId) {
        List<EarlyEvent> kept = Panache.getEntityManager()
                .createQuery("from EarlyEvent where deploymentId = ?1", EarlyEvent.class)
                .setParameter(1, deploymentId).getResultList();
        kept.forEach(Panache.getEntityManager()::remove);
        return kept.stream().sorted(Comparator
                .comparing((EarlyEvent e) -> e.kind == EarlyEvent.Kind.FINISHED)
                .thenComparing(e -> e.stepIndex == null ? Integer.MAX_VALUE : e.stepIndex)
                .thenComparing(e -> e.receivedAt)).toList();
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void dropStale() {
        int dropped = QuarkusTransaction.requiringNew().call(() -> Panache.getEntityManager()
                .createQuery("delete from EarlyEvent where receivedAt < ?1")
                .setParameter(1, WatchService.now().minus(KEEP)).executeUpdate());
        if (dropped > 0) {
            LOG.warnf("dropped %d step or finish events kept over %s for deployments that never started", dropped,
                    KEEP);
        }
    }
}
