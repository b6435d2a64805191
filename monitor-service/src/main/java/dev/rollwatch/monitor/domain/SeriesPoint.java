package dev.rollwatch.monitor.domain;

import java.time.Instant;

/**
 * One measurement of a check's series: the check's row id, its number in the check's series ({@code seq}, from 1),
 * when it was observed and the figure compared with the range (null for an ERROR measurement).
 */
public record SeriesPoint(long checkId, long seq, Instant observedAt, Double value) {
}
