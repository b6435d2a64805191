package dev.rollwatch.notifier.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A place alerts go: the built-in log, a signed generic webhook, or a Slack incoming webhook. */
@Entity
@Table(name = "channel")
public class Channel {

    @Id
    public String name;

    @Column(nullable = false)
    public String type;

    public String url;

    /** The webhook signing secret; never leaves the service except as a signature. */
    public String secret;

    @Column(nullable = false)
    public boolean enabled;

    @Column(name = "disabled_reason")
    public String disabledReason;

    @Column(nullable = false)
    public boolean builtin;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public void disable(String reason, Instant now) {
        enabled = false;
        disabledReason = reason;
        updatedAt = now;
    }
}
