package dev.rollwatch.platform.outbox;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An event waiting to be published, written in the same transaction as the state change it announces. */
@Entity
@Table(name = "outbox_message")
public class OutboxMessage {

    /** The CloudEvents id: stable across every re-send. */
    @Id
    @Column(name = "id")
    public String id;

    @Column(name = "topic", nullable = false)
    public String topic;

    @Column(name = "message_key")
    public String messageKey;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    /** The exact bytes published: the canonical structured-mode CloudEvent. */
    @Column(name = "payload", nullable = false)
    public byte[] payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "published_at")
    public Instant publishedAt;

    @Column(name = "attempts", nullable = false)
    public int attempts;

    /** Set (with {@link #publishedAt}) when the broker refused the event for good: it is never re-sent. */
    @Column(name = "parked_at")
    public Instant parkedAt;

    @Column(name = "park_reason")
    public String parkReason;

    /** Insertion order, set by the database: the sweep re-sends the rows of one key in this order. */
    @Column(name = "seq", insertable = false, updatable = false)
    public Long seq;
}
