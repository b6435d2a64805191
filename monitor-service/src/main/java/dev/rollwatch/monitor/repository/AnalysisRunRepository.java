package dev.rollwatch.monitor.repository;

import dev.rollwatch.monitor.domain.AnalysisRun;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class AnalysisRunRepository implements PanacheRepositoryBase<AnalysisRun, AnalysisRun.Key> {

    public boolean exists(String deploymentId, int stepIndex) {
        return count("deploymentId = ?1 and stepIndex = ?2", deploymentId, stepIndex) > 0;
    }

    /** The latest run (highest attempt) of a step, if any. */
    public Optional<AnalysisRun> latest(String deploymentId, int stepIndex) {
        return find("deploymentId = ?1 and stepIndex = ?2 order by attempt desc", deploymentId, stepIndex)
                .firstResultOptional();
    }

    /** Open runs whose deadline has passed; locked, skipping rows another instance holds. */
    public List<AnalysisRun> lockDue(Instant now, int limit) {
        return find("completedAt is null and deadline <= ?1 order by deadline", now)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", -2) // SKIP LOCKED
                .page(0, limit)
                .list();
    }
}
