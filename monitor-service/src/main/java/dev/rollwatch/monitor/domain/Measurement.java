package dev.rollwatch.monitor.domain;

import java.time.Instant;

/** A value taken for one check, when it was observed, and how it was judged. {@code value} is null for ERROR. */
public record Measurement(Double value, Instant observedAt, MeasurementOutcome outcome) {
}
