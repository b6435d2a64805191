package dev.rollwatch.audit.rest;

import dev.rollwatch.audit.domain.Replay;

import java.time.Instant;

/**
 * A replay on the wire: what it covers, where it goes, and how far it got. {@code published} of {@code total} are
 * acknowledged by the broker, up to position {@code lastPosition}; follow it until {@code status} is
 * {@code COMPLETED} (or {@code FAILED}, with {@code error}). {@code requestedBy}: the subject of the token that asked.
 */
public record ReplayView(String id, String status, String requestedBy, String destination, String deploymentId, String type,
        String source, long fromPosition, long toPosition, Instant from, Instant to, long total, long published,
        long lastPosition, Instant createdAt, Instant startedAt, Instant finishedAt, String error) {

    static ReplayView of(Replay r) {
        return new ReplayView(r.id.toString(), r.status.name(), r.requestedBy, r.destination, r.deploymentId, r.eventType, r.source,
                r.fromPosition, r.toPosition, r.fromTime, r.toTime, r.total, r.published, r.lastPosition,
                r.createdAt, r.startedAt, r.finishedAt, r.error);
    }
}
