package dev.rollwatch.rollback.domain;

import dev.rollwatch.events.Severity;

import java.time.Instant;

/** A breach of the same deployment decided earlier: the history a CONDITIONAL rule counts. */
public record PriorBreach(String eventId, Severity severity, String check, Instant observedAt) {
}
