package dev.rollwatch.audit.rest;

/**
 * {@code POST /api/v1/audit/replays}: which entries (every criterion optional) and where to. Positions are
 * inclusive; {@code from}/{@code to} are ISO-8601 instants bounding the event's {@code time} (inclusive, exclusive);
 * {@code destination} defaults to {@code audit-replay}.
 */
public record ReplayRequest(String deploymentId, String type, String source, Long fromPosition, Long toPosition,
        String from, String to, String destination) {

    static ReplayRequest everything() {
        return new ReplayRequest(null, null, null, null, null, null, null, null);
    }
}
