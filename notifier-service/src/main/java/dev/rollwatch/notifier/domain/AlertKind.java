package dev.rollwatch.notifier.domain;

import dev.rollwatch.events.EventType;
import dev.rollwatch.events.Topics;

import java.util.Arrays;
import java.util.Optional;

/** The events the notifier tells people about. The slug (the topic name) is what routes match on. */
public enum AlertKind {
    THRESHOLD_BREACHED(Topics.THRESHOLD_BREACHED, EventType.THRESHOLD_BREACHED),
    ROLLBACK_REQUESTED(Topics.ROLLBACK_REQUESTED, EventType.ROLLBACK_REQUESTED),
    ROLLBACK_COMPLETED(Topics.ROLLBACK_COMPLETED, EventType.ROLLBACK_COMPLETED),
    DEPLOYMENT_STARTED(Topics.DEPLOYMENT_STARTED, EventType.DEPLOYMENT_STARTED),
    DEPLOYMENT_FINISHED(Topics.DEPLOYMENT_FINISHED, EventType.DEPLOYMENT_FINISHED),
    ROLLBACK_ESCALATED(Topics.ROLLBACK_ESCALATED, EventType.ROLLBACK_ESCALATED),
    ROLLBACK_DECIDED(Topics.ROLLBACK_DECISIONS, EventType.ROLLBACK_DECIDED),
    /** A phase reached: only a SET_WEIGHT step that SUCCEEDED is notified (see {@link AlertFacts#notifiable}). */
    STEP_COMPLETED(Topics.STEP_COMPLETED, EventType.STEP_COMPLETED),
    BAKE_CHECKPOINT(Topics.BAKE_CHECKPOINTS, EventType.BAKE_CHECKPOINT),
    APPROVAL_REQUESTED(Topics.APPROVAL_REQUESTS, EventType.APPROVAL_REQUESTED),
    ROLLBACK_VERIFIED(Topics.ROLLBACK_VERIFICATIONS, EventType.ROLLBACK_VERIFIED);

    private final String slug;
    private final EventType eventType;

    AlertKind(String slug, EventType eventType) {
        this.slug = slug;
        this.eventType = eventType;
    }

    public String slug() {
        return slug;
    }

    public EventType eventType() {
        return eventType;
    }

    public static Optional<AlertKind> fromSlug(String slug) {
        return Arrays.stream(values()).filter(k -> k.slug.equals(slug)).findFirst();
    }

    public static Optional<AlertKind> of(EventType type) {
        return Arrays.stream(values()).filter(k -> k.eventType == type).findFirst();
    }
}
