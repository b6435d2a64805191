package dev.rollwatch.deploy.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.UUID;

/**
 * A deployment of one version of one service to one environment. Status changes go through {@link #moveTo}, which
 * enforces the state machine; {@code @Version} makes concurrent changes (an approval racing a rollback) fail
 * instead of overwriting each other.
 */
@Entity
@Table(name = "deployment")
public class Deployment {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String service;

    @Column(nullable = false)
    public String environment;

    @Column(nullable = false)
    public String version;

    @Column(name = "previous_version")
    public String previousVersion;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DeploymentStatus status;

    @Column(name = "target_type", nullable = false)
    public String targetType;

    @Column(name = "target_url", nullable = false)
    public String targetUrl;

    @Column(name = "metrics_url")
    public String metricsUrl;

    /** The strategy steps, as the JSON the events carry. */
    @Column(nullable = false)
    public String steps;

    /** The analysis spec, as the JSON the events carry. */
    @Column(nullable = false)
    public String analysis;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(name = "status_reason")
    public String statusReason;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** Index of the step the engine is on; equal to the number of steps once they are all done. */
    @Column(name = "current_step", nullable = false)
    public int currentStep;

    /** The traffic weight of the new version as the target last confirmed it. */
    @Column(name = "current_weight", nullable = false)
    public int currentWeight;

    @Column(name = "promoted_by")
    public String promotedBy;

    @Column(name = "promote_reason")
    public String promoteReason;

    @Column(name = "rollback_request_id")
    public String rollbackRequestId;

    @Column(name = "rollback_correlation_id")
    public String rollbackCorrelationId;

    @Column(name = "rollback_to_version")
    public String rollbackToVersion;

    @Column(name = "rollback_detected_at")
    public Instant rollbackDetectedAt;

    @Column(name = "rollback_started_at")
    public Instant rollbackStartedAt;

    @Column(name = "rollback_finished_at")
    public Instant rollbackFinishedAt;

    /** An operator's reason for starting although the deployment policy refused; null when nothing was overridden. */
    @Column(name = "override_reason")
    public String overrideReason;

    /** The admission rules that override let through (type: detail; …). */
    @Column(name = "overridden")
    public String overridden;

    /** What a failed phase does: {@code rollback} (null means this) or {@code stepBack}. */
    @Column(name = "on_failure")
    public String onFailure;

    /** After a step back: {@code pause} (null means this) or {@code continue}. */
    @Column(name = "after_step_back")
    public String afterStepBack;

    /** How long the monitor watches after SUCCEEDED, in ms; null: the monitor's default. */
    @Column(name = "bake_window_ms")
    public Long bakeWindowMs;

    /** While ROLLING_BACK for a step back: the weight the target goes back to; null for a full rollback. */
    @Column(name = "step_back_to_weight")
    public Integer stepBackToWeight;

    /** The index of the setWeight step that began the phase that stepped back (a second failure rolls back). */
    @Column(name = "stepped_back_phase")
    public Integer steppedBackPhase;

    /** Which run of the steps the engine is on: 0, then one more for each step back (re-run steps are new rows). */
    @Column(name = "step_attempt", nullable = false)
    public int stepAttempt;

    @Version
    @Column(name = "row_version", nullable = false)
    public int rowVersion;

    public void moveTo(DeploymentStatus next, String reason, Instant now) {
        if (!status.canMoveTo(next)) {
            throw new IllegalTransitionException(id, status, next);
        }
        status = next;
        statusReason = reason == null || reason.length() <= 2000 ? reason : reason.substring(0, 1990) + "…";
        updatedAt = now;
        if (next.isTerminal()) {
            finishedAt = now;
        }
    }
}
