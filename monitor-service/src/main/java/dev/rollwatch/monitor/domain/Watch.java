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

    /** Where the target answers: its health endpoint is {@code {targetUrl}/health?version=<version>}. */
    @Column(name = "target_url")
    public String targetUrl;

    /** The DeploymentStarted event's time. */
    @Column(name = "deployment_started_at")
    public Instant deploymentStartedAt;

    /** When the current step started (its StepStarted). */
    @Column(name = "step_started_at")
    public Instant stepStartedAt;

    /** The time of the latest step event followed (see {@link #follow(int, Integer, Instant, Instant)}). */
    @Column(name = "step_event_at")
    public Instant stepEventAt;

    /** How many step backs the watch followed (an earlier step's event later than every step event before it). */
    @Column(name = "step_backs", nullable = false)
    public int stepBacks;

    /** The ANALYSIS step whose criteria are judged now (from its StepStarted to its StepCompleted), else null. */
    @Column(name = "criteria_step")
    public Integer criteriaStep;

    @Column(name = "health_down_since")
    public Instant healthDownSince;

    @Column(name = "health_reason")
    public String healthReason;

    @Column(name = "metrics_down_since")
    public Instant metricsDownSince;

    @Column(name = "metrics_reason")
    public String metricsReason;

    /** An outage episode is open: its ThresholdBreached (kind unavailable) was emitted. */
    @Column(name = "outage_open", nullable = false)
    public boolean outageOpen;

    @Column(name = "outage_episodes", nullable = false)
    public int outageEpisodes;

    /** The deployment's own bake window (DeploymentStarted.bakeWindow), null: the monitor's default. */
    @Column(name = "bake_window_ms")
    public Long bakeWindowMs;

    @Column(name = "succeeded_at")
    public Instant succeededAt;

    @Column(name = "bake_checkpoints_done", nullable = false)
    public int bakeCheckpointsDone;

    /** JSON: each check's counters when the deployment succeeded (the bake window's baseline). */
    @Column(name = "bake_baseline")
    public String bakeBaseline;

    /** The restored version watched after a rollback. */
    @Column(name = "verify_version")
    public String verifyVersion;

    @Column(name = "verify_started_at")
    public Instant verifyStartedAt;

    @Column(name = "verify_until")
    public Instant verifyUntil;

    /** The RollbackCompleted that started the verification (the RollbackVerified's cause). */
    @Column(name = "verify_event_id")
    public String verifyEventId;

    @Column(name = "verify_outcome")
    public String verifyOutcome;

    /** The version whose figures are judged now: the restored one while verifying a rollback, else the new one. */
    public String measuredVersion() {
        return status == WatchStatus.VERIFYING && verifyVersion != null ? verifyVersion : version;
    }

    /** The outage state of the target, for the pure {@link Outage} functions. */
    public Outage.State outage() {
        return new Outage.State(healthDownSince, metricsDownSince, outageOpen);
    }

    /** Records the next outage state. */
    public void outage(Outage.State s) {
        healthDownSince = s.healthDownSince();
        metricsDownSince = s.metricsDownSince();
        outageOpen = s.open();
    }

    /** A step began or ended; steps only move forward, so a late event about an earlier step changes nothing. */
    public boolean follow(int index, Integer newWeight, Instant now) {
        return follow(index, newWeight, null, now);
    }

    /**
     * A step began or ended at {@code eventTime} (the event's time, null if unknown). Steps move forward, so a late
     * event about an earlier step changes nothing; but an event about an earlier step that is later than every step
     * event followed so far is a step back (deploy-service's {@code onFailure: stepBack}: the previous phase's
     * setWeight again, then the failed phase re-run from its setWeight) and is followed, weight included: the watch
     * keeps the weight of the latest weight-changing event. The deploy service stamps its step events with one
     * clock, so within a forward run a lower index is never strictly later.
     */
    public boolean follow(int index, Integer newWeight, Instant eventTime, Instant now) {
        if (!status.isWatching()) {
            return false;
        }
        boolean later = eventTime != null && stepEventAt != null && eventTime.isAfter(stepEventAt);
        if (stepIndex != null && index < stepIndex) {
            if (!later) {
                return false;
            }
            stepBacks++;
        }
        stepIndex = index;
        if (newWeight != null) {
            weight = newWeight;
        }
        if (eventTime != null && (stepEventAt == null || eventTime.isAfter(stepEventAt))) {
            stepEventAt = eventTime;
        }
        updatedAt = now;
        return true;
    }

    /**
     * The deployment finished. A success keeps the watch going for {@code bakeWindow} (post-promotion
     * monitoring); any other outcome, or no window, stops it now.
     */
    public void finish(DeploymentOutcome outcome, Duration bakeWindow, Instant now) {
        if (status == WatchStatus.VERIFYING) {
            // The rollback's DeploymentFinished(ROLLED_BACK): the restored version is still being verified.
            finishOutcome = outcome;
            updatedAt = now;
            return;
        }
        if (!status.isWatching()) {
            return;
        }
        finishOutcome = outcome;
        if (outcome == DeploymentOutcome.SUCCEEDED && bakeWindow != null && !bakeWindow.isZero()
                && !bakeWindow.isNegative()) {
            status = WatchStatus.BAKING;
            succeededAt = now;
            bakeUntil = now.plus(bakeWindow);
            bakeCheckpointsDone = 0;
            criteriaStep = null;
            updatedAt = now;
        } else {
            stop(now);
        }
    }

    /**
     * A rollback of this deployment completed: watch the restored {@code restored} version until {@code until}
     * (whatever the watch was doing: rolling out, baking, or already stopped by the rollback's DeploymentFinished).
     */
    public void verify(String restored, String completedEventId, Instant now, Instant until) {
        status = WatchStatus.VERIFYING;
        verifyVersion = restored;
        verifyEventId = completedEventId;
        verifyStartedAt = now;
        verifyUntil = until;
        verifyOutcome = null;
        criteriaStep = null;
        healthDownSince = null;
        metricsDownSince = null;
        outageOpen = false;
        stoppedAt = null;
        updatedAt = now;
    }

    public void stop(Instant now) {
        status = WatchStatus.STOPPED;
        stoppedAt = now;
        updatedAt = now;
    }
}
