package dev.rollwatch.rollback.domain;

import dev.rollwatch.events.Severity;

import java.time.Instant;

/**
 * A CONDITIONAL breach that was only alerted on (below its repeat limit) and not followed up yet: its episode is
 * open unless the monitor announced its recovery ({@code recoveredAt}). No newer breach of the same check has
 * arrived either (the monitor starts a new episode only after the check recovered).
 *
 * @param eventId     the ThresholdBreached of the episode
 * @param observedAt  when the monitor observed the breach
 * @param decidedAt   when the alert was decided (this service has known of the episode since then)
 * @param recoveredAt when the episode ended (ThresholdRecovered), or null while it is open
 */
public record OpenBreach(String eventId, Severity severity, String check, Instant observedAt, Instant decidedAt,
        Instant recoveredAt) {

    /** An episode with no recovery known. */
    public OpenBreach(String eventId, Severity severity, String check, Instant observedAt, Instant decidedAt) {
        this(eventId, severity, check, observedAt, decidedAt, null);
    }
}
