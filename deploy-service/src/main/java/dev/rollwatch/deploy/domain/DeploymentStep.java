package dev.rollwatch.deploy.domain;

import dev.rollwatch.events.StepKind;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.UUID;

/** One step the engine started for a deployment: its history row (times, outcome, detail, approver). */
@Entity
@Table(name = "deployment_step")
public class DeploymentStep {

    @Id
    public UUID id;

    @Column(name = "deployment_id", nullable = false)
    public UUID deploymentId;

    @Column(name = "step_index", nullable = false)
    public int stepIndex;

    /** 0 for the first run of the step; a step re-run after a step back is a new row with the next attempt. */
    @Column(nullable = false)
    public int attempt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public StepKind kind;

    public Integer weight;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public StepStatus status;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** When a timed step is due (pause end, analysis end); absent for open-ended steps. */
    public Instant deadline;

    public String detail;

    @Column(name = "approved_by")
    public String approvedBy;

    @Column(name = "smoke_passed")
    public Integer smokePassed;

    @Column(name = "smoke_total")
    public Integer smokeTotal;

    @Version
    @Column(name = "row_version", nullable = false)
    public int rowVersion;

    public static DeploymentStep start(UUID deploymentId, int index, StepKind kind, Integer weight, Instant now,
            Instant deadline) {
        return start(deploymentId, index, 0, kind, weight, now, deadline);
    }

    public static DeploymentStep start(UUID deploymentId, int index, int attempt, StepKind kind, Integer weight,
            Instant now, Instant deadline) {
        DeploymentStep s = new DeploymentStep();
        s.attempt = attempt;
        s.id = UUID.randomUUID();
        s.deploymentId = deploymentId;
        s.stepIndex = index;
        s.kind = kind;
        s.weight = weight;
        s.status = StepStatus.RUNNING;
        s.startedAt = now;
        s.deadline = deadline;
        return s;
    }

    public void finish(StepStatus outcome, String why, Instant now) {
        if (!status.isOpen()) {
            throw new IllegalStateException("step " + stepIndex + " of " + deploymentId + " is already " + status);
        }
        status = outcome;
        detail = why;
        finishedAt = now;
    }

    public long durationMs() {
        return finishedAt == null ? 0 : java.time.Duration.between(startedAt, finishedAt).toMillis();
    }
}
