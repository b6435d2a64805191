package dev.rollwatch.monitor.provider;

import java.time.Instant;

/**
 * Whether a metrics source could be read at {@code at}: {@code up} false with the reason when the fetch failed (refused,
 * timed out, HTTP 5xx) or the watched version's series vanished from an otherwise good read; true for a good read.
 */
public record Reachability(boolean up, String reason, Instant at) {
}
