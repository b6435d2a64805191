package dev.rollwatch.monitor.domain;

import dev.rollwatch.events.DeploymentOutcome;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A step or finish event of a deployment that arrived before its DeploymentStarted (another topic, so no order
 * between them), kept until the watch starts and applies it.
 */
@Entity
@Table(name = "early_event")
public class EarlyEvent {

    /** What the early event was. */
    public enum Kind {
        /** A StepStarted or StepCompleted: the step and weight to follow. */
        STEP,
        /** A StepStarted of an analysis step: follow it and open its analysis run. */
        ANALYSIS,
        /** A DeploymentFinished. */
        FINISHED
    }

    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(name = "deployment_id", nullable = false)
    public String deploymentId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Kind kind;

    @Column(name = "step_index")
    public Integer stepIndex;

    public Integer weight;

    /** For ANALYSIS: the step's deadline, if it gave one. */
    public Instant deadline;

    /** For FINISHED: the deployment's outcome. */
    @Enumerated(EnumType.STRING)
    public DeploymentOutcome outcome;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
}
