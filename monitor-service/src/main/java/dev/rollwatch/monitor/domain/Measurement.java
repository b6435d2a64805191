package dev.rollwatch.monitor.domain;

import java.time.Instant;

/**
 * A value taken for one check, when it was observed, and how it was judged. {@code value} is null for ERROR;
 * {@code reason} says why a value could not be taken (or carries a provider's warning), else null.
 */
public record Measurement(Double value, Instant observedAt, MeasurementOutcome outcome, String reason) {

    public Measurement(Double value, Instant observedAt, MeasurementOutcome outcome) {
        this(value, observedAt, outcome, null);
    }
}
