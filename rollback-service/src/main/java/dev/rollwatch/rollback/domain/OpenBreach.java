package dev.rollwatch.rollback.domain;

import dev.rollwatch.events.Severity;

import java.time.Instant;

/**
 * A CONDITIONAL breach that was only alerted on (below its repeat limit) and whose episode is still open: no newer
 * breach of the same check has arrived, and the monitor starts a new episode only after the check recovered.
 *
 * @param eventId    the ThresholdBreached of the episode
 * @param observedAt when the monitor observed the breach
 * @param decidedAt  when the alert was decided (this service has known of the episode since then)
 */
public record OpenBreach(String eventId, Severity severity, String check, Instant observedAt, Instant decidedAt) {
}
