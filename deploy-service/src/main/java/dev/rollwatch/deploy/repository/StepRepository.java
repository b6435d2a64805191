package dev.rollwatch.deploy.repository;

import dev.rollwatch.deploy.domain.DeploymentStep;
import dev.rollwatch.events.Verdict;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class StepRepository implements PanacheRepositoryBase<DeploymentStep, UUID> {

    public List<DeploymentStep> history(UUID deploymentId) {
        return list("deploymentId = ?1 order by startedAt, stepIndex, attempt", deploymentId);
    }

    /** The row of a step in the given run ({@code attempt}: 0, one more after each step back). */
    public Optional<DeploymentStep> step(UUID deploymentId, int index, int attempt) {
        return find("deploymentId = ?1 and stepIndex = ?2 and attempt = ?3", deploymentId, index, attempt)
                .firstResultOptional();
    }

    /**
     * Records the monitor's verdict for a step of a run; a second verdict for the same step and run is ignored
     * (first wins).
     */
    public boolean recordVerdict(UUID deploymentId, int stepIndex, int attempt, Verdict verdict, String detail,
            String eventId, Instant receivedAt) {
        return getEntityManager().createNativeQuery("""
                INSERT INTO analysis_verdict (deployment_id, step_index, attempt, verdict, detail, event_id,
                                              received_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING""")
                .setParameter(1, deploymentId).setParameter(2, stepIndex).setParameter(3, attempt)
                .setParameter(4, verdict.name()).setParameter(5, detail).setParameter(6, eventId)
                .setParameter(7, receivedAt).executeUpdate() == 1;
    }

    /** The verdict recorded for a step of a run, if the monitor sent one. */
    public Optional<RecordedVerdict> verdict(UUID deploymentId, int stepIndex, int attempt) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery("SELECT verdict, detail FROM analysis_verdict "
                + "WHERE deployment_id = ?1 AND step_index = ?2 AND attempt = ?3")
                .setParameter(1, deploymentId).setParameter(2, stepIndex).setParameter(3, attempt).getResultList();
        return rows.stream().findFirst()
                .map(r -> new RecordedVerdict(Verdict.valueOf((String) r[0]), (String) r[1]));
    }

    public record RecordedVerdict(Verdict verdict, String detail) {
    }
}
