package dev.rollwatch.monitor.domain;

import dev.rollwatch.events.DeploymentOutcome;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Duration;
import java.time.Instant;

/**
 * One deployment under observation. Created by DeploymentStarted, it follows the rollout's step and weight and
 * stops after DeploymentFinished (after a bake window when the deployment succeeded). Persisted, so a restart
 * neither loses nor repeats a watch.
 */
@Entity
@Table(name = "watch")
public class Watch {

    @Id
    @Column(name = "deployment_id")
    public String deploymentId;

    @Column(nullable = false)
    public String service;

    @Column(nullable = false)
    public String environment;

    @Column(nullable = false)
    public String version;

    @Column(name = "previous_version")
    public String previousVersion;

    @Column(name = "metrics_url")
    public String metricsUrl;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public WatchStatus status;

    @Column(name = "step_index")
    public Integer stepIndex;

    public Integer weight;

    /** The DeploymentStarted event: every breach is caused by it. */
    @Column(name = "started_event_id", nullable = false)
    public String startedEventId;

    @Column(name = "started_event_source", nullable = false)
    public String startedEventSource;

    @Enumerated(EnumType.STRING)
    @Column(name = "finish_outcome")
    public DeploymentOutcome finishOutcome;

    @Column(name = "bake_until")
    public Instant bakeUntil;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "stopped_at")
    public Instant stoppedAt;

    @Version
    @Column(name = "row_version", nullable = false)
    public int rowVersion;

    /** A step began or ended; steps only move forward, so a late event about an earlier step changes nothing. */
    public boolean follow(int index, Integer newWeight, Instant now) {
        if (!status.isWatching() || (stepIndex != null && index < stepIndex)) {
            return false;
        }
        stepIndex = index;
        if (newWeight != null) {
            weight = newWeight;
        }
        updatedAt = now;
        return true;
    }

    /**
     * The deployment finished. A success keeps the watch going for {@code bakeWindow} (post-promotion
     * monitoring); any other outcome, or no window, stops it now.
     */
    public void finish(DeploymentOutcome outcome, Duration bakeWindow, Instant now) {
        if (!status.isWatching()) {
            return;
        }
        finishOutcome = outcome;
        if (outcome == DeploymentOutcome.SUCCEEDED && bakeWindow != null && !bakeWindow.isZero()
                && !bakeWindow.isNegative()) {
            status = WatchStatus.BAKING;
            bakeUntil = now.plus(bakeWindow);
            updatedAt = now;
        } else {
            stop(now);
        }
    }

    public void stop(Instant now) {
        status = WatchStatus.STOPPED;
        stoppedAt = now;
        updatedAt = now;
    }
}
