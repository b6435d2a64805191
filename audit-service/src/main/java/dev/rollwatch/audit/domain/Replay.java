package dev.rollwatch.audit.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A request to re-publish a fixed range of the log ({@code fromPosition..toPosition}, filtered) to a topic, and how
 * far it got. {@code lastPosition} is the last position the broker acknowledged ({@code fromPosition - 1} before the
 * first), so a replay interrupted by a restart resumes right after it.
 */
@Entity
@Table(name = "audit_replay")
public class Replay {

    @Id
    @Column(name = "id")
    public UUID id;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false)
    public ReplayStatus status;

    @Column(name = "destination", nullable = false)
    public String destination;

    @Column(name = "deployment_id")
    public String deploymentId;

    @Column(name = "event_type")
    public String eventType;

    @Column(name = "source")
    public String source;

    @Column(name = "from_position", nullable = false)
    public long fromPosition;

    @Column(name = "to_position", nullable = false)
    public long toPosition;

    @Column(name = "from_time")
    public Instant fromTime;

    @Column(name = "to_time")
    public Instant toTime;

    @Column(name = "total", nullable = false)
    public long total;

    @Column(name = "published", nullable = false)
    public long published;

    @Column(name = "last_position", nullable = false)
    public long lastPosition;

    /** The subject of the token that asked for it (null for replays from before authentication). */
    @Column(name = "requested_by")
    public String requestedBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "error")
    public String error;
}
