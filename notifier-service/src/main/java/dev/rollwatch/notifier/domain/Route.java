package dev.rollwatch.notifier.domain;

import dev.rollwatch.events.Severity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** A stored route; {@link #toRule()} gives the pure form that matching works on. */
@Entity
@Table(name = "route")
public class Route {

    @Id
    public String name;

    /** An {@link AlertKind} slug, or null for any. */
    @Column(name = "event_type")
    public String eventType;

    public String severity;

    public String service;

    public String environment;

    /** Channel names, comma-separated. */
    @Column(nullable = false)
    public String channels;

    @Column(nullable = false)
    public boolean builtin;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public List<String> channelList() {
        return Arrays.stream(channels.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public RouteRule toRule() {
        return new RouteRule(name, eventType == null ? null : AlertKind.fromSlug(eventType).orElse(null),
                severity == null ? null : Severity.valueOf(severity), service, environment, channelList());
    }
}
