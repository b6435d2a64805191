package dev.rollwatch.notifier.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One alert on one channel: at most one per (event id, channel), with its attempts and outcome. */
@Entity
@Table(name = "delivery")
public class Delivery {

    @Id
    public UUID id;

    @Column(name = "event_id", nullable = false)
    public String eventId;

    @Column(name = "event_source", nullable = false)
    public String eventSource;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(name = "correlation_id")
    public String correlationId;

    @Column(name = "deployment_id", nullable = false)
    public String deploymentId;

    @Column(nullable = false)
    public String channel;

    @Column(name = "channel_type", nullable = false)
    public String channelType;

    /** Comma-separated channels this log delivery stands in for; null when it is not a fallback. */
    @Column(name = "fallback_for")
    public String fallbackFor;

    /** Comma-separated names of the routes that selected this channel. */
    @Column(nullable = false)
    public String routes;

    public String severity;

    public String service;

    public String environment;

    @Column(nullable = false)
    public String title;

    @Column(nullable = false)
    public String message;

    @Column(name = "deployment_url", nullable = false)
    public String deploymentUrl;

    @Column(name = "timeline_url", nullable = false)
    public String timelineUrl;

    /** The notified CloudEvent, exactly as received (the generic webhook carries it). */
    @Column(name = "event_payload", nullable = false)
    public String eventPayload;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DeliveryStatus status;

    public String outcome;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "last_status_code")
    public Integer lastStatusCode;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(name = "lease_token")
    public UUID leaseToken;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "delivered_at")
    public Instant deliveredAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** What makes two events "the same alert" for flood control (with the deployment); see FloodControl. */
    @Column(name = "alert_key")
    public String alertKey;

    /** How many later repeats of this alert were grouped into this delivery instead of being sent. */
    @Column(nullable = false)
    public int repeats;

    /** For a GROUPED delivery: the sent delivery it was counted on. */
    @Column(name = "grouped_into")
    public UUID groupedInto;
}
