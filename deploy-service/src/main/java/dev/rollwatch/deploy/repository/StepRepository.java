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
        return list("deploymentId = ?1 order by stepIndex", deploymentId);
    }

    public Optional<DeploymentStep> step(UUID deploymentId, int index) {
        return find("deploymentId = ?1 and stepIndex = ?2", deploymentId, index).firstResultOptional();
    }

    /** Records the monitor's verdict for a step; a second verdict for the same step is ignored (first wins). */
    public boolean recordVerdict(UUID deploymentId, int stepIndex, Verdict verdict, String detail, String eventId) {
        return getEntityManager().createNativeQuery("""
                INSERT INTO analysis_verdict (deployment_id, step_index, verdict, detail, event_id, received_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING""")
                .setParameter(1, deploymentId).setParameter(2, stepIndex).setParameter(3, verdict.name())
                .setParameter(4, detail).setParameter(5, eventId).setParameter(6, Instant.now())
                .executeUpdate() == 1;
    }

    /** The verdict recorded for a step, if the monitor sent one. */
    public Optional<RecordedVerdict> verdict(UUID deploymentId, int stepIndex) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery(
                "SELECT verdict, detail FROM analysis_verdict WHERE deployment_id = ?1 AND step_index = ?2")
                .setParameter(1, deploymentId).setParameter(2, stepIndex).getResultList();
        return rows.stream().findFirst()
                .map(r -> new RecordedVerdict(Verdict.valueOf((String) r[0]), (String) r[1]));
    }

    public record RecordedVerdict(Verdict verdict, String detail) {
    }
}
