package dev.rollwatch.rollback.domain;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdRecovered;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A breach episode that ended (a ThresholdRecovered), kept by the episode's breach event id so that it applies
 * whether it arrived before or after the breach.
 */
@Entity
@Table(name = "breach_recovery")
public class BreachRecovery {

    @Id
    @Column(name = "breach_event_id")
    public String breachEventId;

    @Column(name = "deployment_id", nullable = false)
    public String deploymentId;

    @Column(name = "check_name", nullable = false)
    public String checkName;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Severity severity;

    @Column(name = "breached_at")
    public Instant breachedAt;

    @Column(name = "recovered_at", nullable = false)
    public Instant recoveredAt;

    @Column(name = "event_id", nullable = false)
    public String eventId;

    @Column(name = "event_source", nullable = false)
    public String eventSource;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    public static BreachRecovery of(String deploymentId, Envelope<ThresholdRecovered> event, Instant now) {
        ThresholdRecovered r = event.data();
        BreachRecovery recovery = new BreachRecovery();
        recovery.breachEventId = r.breachEventId();
        recovery.deploymentId = deploymentId;
        recovery.checkName = r.check();
        recovery.severity = r.severity();
        recovery.breachedAt = r.breachedAt();
        recovery.recoveredAt = r.recoveredAt();
        recovery.eventId = event.id();
        recovery.eventSource = event.source();
        recovery.receivedAt = now;
        return recovery;
    }
}
