package dev.rollwatch.monitor.domain;

import dev.rollwatch.events.Verdict;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** One analysis step under judgement, from its StepStarted to its deadline. */
@Entity
@Table(name = "analysis_run")
@IdClass(AnalysisRun.Key.class)
public class AnalysisRun {

    @Id
    @Column(name = "deployment_id")
    public String deploymentId;

    @Id
    @Column(name = "step_index")
    public int stepIndex;

    /** Which run of the step this is: 0 the first, 1 the retry after a step back, … */
    @Id
    public int attempt;

    /** {@link Watch#stepBacks} when the run opened. */
    @Column(name = "step_backs", nullable = false)
    public int stepBacks;

    @Column(name = "started_event_id", nullable = false)
    public String startedEventId;

    @Column(nullable = false)
    public Instant deadline;

    /** JSON object: check name → its {@link CheckProgress} when the step began. */
    @Column(nullable = false)
    public String baseline;

    @Column(name = "completed_at")
    public Instant completedAt;

    @Enumerated(EnumType.STRING)
    public Verdict verdict;

    public static class Key implements Serializable {
        public String deploymentId;
        public int stepIndex;
        public int attempt;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.stepIndex == stepIndex && k.attempt == attempt && Objects.equals(k.deploymentId, deploymentId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(deploymentId, stepIndex, attempt);
        }
    }
}
