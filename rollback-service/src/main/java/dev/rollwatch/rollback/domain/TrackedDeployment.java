package dev.rollwatch.rollback.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A deployment as the rollback service knows it from events. Its row doubles as the per-deployment lock every
 * decision takes, so a breach and an operator's manual rollback never both request one.
 */
@Entity
@Table(name = "tracked_deployment")
public class TrackedDeployment {

    @Id
    @Column(name = "deployment_id")
    public String deploymentId;

    @Column(nullable = false)
    public String service;

    @Column(nullable = false)
    public String environment;

    public String version;

    @Column(name = "previous_version")
    public String previousVersion;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DeploymentState state;

    /** The DeploymentFinished outcome, once finished. */
    public String outcome;

    @Column(name = "started_event_id")
    public String startedEventId;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public DecisionMatrix.Situation situation() {
        return switch (state) {
            case ACTIVE -> DecisionMatrix.Situation.OPEN;
            case ROLLING_BACK -> DecisionMatrix.Situation.ROLLBACK_REQUESTED;
            case FINISHED -> succeeded() ? DecisionMatrix.Situation.SUCCEEDED : DecisionMatrix.Situation.FINISHED;
        };
    }

    /** Whether it finished SUCCEEDED (and was not rolled back since). */
    public boolean succeeded() {
        return state == DeploymentState.FINISHED && "SUCCEEDED".equals(outcome);
    }

    /** A rollback was requested: of a running deployment, or of a SUCCEEDED one (bake window, operator). */
    public void rollbackRequested(Instant now) {
        if (state == DeploymentState.ACTIVE || succeeded()) {
            state = DeploymentState.ROLLING_BACK;
            updatedAt = now;
        }
    }

    /** The rollback stepped back to a lower weight: the deployment runs again. */
    public void steppedBack(Instant now) {
        if (state == DeploymentState.ROLLING_BACK) {
            state = DeploymentState.ACTIVE;
            updatedAt = now;
        }
    }

    public void finished(String finalOutcome, Instant at, Instant now) {
        state = DeploymentState.FINISHED;
        outcome = finalOutcome;
        finishedAt = at;
        updatedAt = now;
    }
}
