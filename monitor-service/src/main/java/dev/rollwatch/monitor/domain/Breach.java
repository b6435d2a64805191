package dev.rollwatch.monitor.domain;

import dev.rollwatch.events.Measure;
import dev.rollwatch.events.Operator;
import dev.rollwatch.events.Severity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** A breach episode the monitor announced with ThresholdBreached (the event id is this row's id). */
@Entity
@Table(name = "breach")
public class Breach {

    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(name = "deployment_id", nullable = false)
    public String deploymentId;

    @Column(name = "check_name", nullable = false)
    public String checkName;

    @Column(nullable = false)
    public String metric;

    @Column(nullable = false)
    public int episode;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Severity severity;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Operator operator;

    @Column(nullable = false)
    public double threshold;

    /** JSON array of the observed values. */
    @Column(nullable = false)
    public String observed;

    @Column(nullable = false)
    public int failures;

    @Column(name = "failure_limit", nullable = false)
    public int failureLimit;

    @Column(name = "step_index")
    public Integer stepIndex;

    @Column(name = "observed_at", nullable = false)
    public Instant observedAt;

    @Column(name = "emitted_at", nullable = false)
    public Instant emittedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Measure measure = Measure.VALUE;

    /** The stable version's value at the deciding measurement (BASELINE_* checks). */
    public Double baseline;

    @Column(name = "rule_version")
    public String ruleVersion;

    /** threshold, unavailable or criteria (ThresholdBreached.kind). */
    @Column(nullable = false)
    public String kind = "threshold";

    /** rollout or bake (ThresholdBreached.phase). */
    @Column(nullable = false)
    public String phase = "rollout";

    /** When the episode ended (the first passing measurement), null while it is open. */
    @Column(name = "recovered_at")
    public Instant recoveredAt;

    /** The ThresholdRecovered that announced the end of the episode. */
    @Column(name = "recovery_event_id")
    public String recoveryEventId;

    /**
     * The ThresholdBreached id of an episode, derived from what identifies it, so that whoever evaluates the
     * episode (after a restart, or on another instance) produces the same id and the breach table's key refuses
     * the second one.
     */
    public static String eventId(String deploymentId, String check, int episode) {
        return UUID.nameUUIDFromBytes(("threshold-breached/" + deploymentId + "/" + check + "/" + episode)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The ThresholdRecovered id of an episode's end: derived like the breach's, so it cannot be emitted twice. */
    public static String recoveryEventId(String deploymentId, String check, int episode) {
        return UUID.nameUUIDFromBytes(("threshold-recovered/" + deploymentId + "/" + check + "/" + episode)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
