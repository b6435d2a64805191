package dev.rollwatch.monitor.provider;

import java.time.Instant;

/**
 * A provider's answer. {@link Kind#MEASURED}: a finite value (with an optional note, e.g. Prometheus' warnings);
 * {@link Kind#ERROR}: could not measure, with the reason (never a failure); {@link Kind#NOT_YET}: nothing to
 * record this time (e.g. the first scrape, which is only the baseline of the next one). {@code baseline} is the
 * stable version's value of the same metric measured at the same time, when the check compares with it (else null).
 */
public record Reading(Kind kind, Double value, Instant observedAt, String reason, Double baseline) {

    /**
     * {@code NO_DATA}: the source answered but has no value of this metric for the version (a metric the target does
     * not expose, no request between two scrapes). A built-in check records nothing then (it stays INCONCLUSIVE); a
     * check the deployment asked for records an ERROR, as before. Never an outage.
     */
    public enum Kind { MEASURED, ERROR, NOT_YET, NO_DATA }

    public Reading(Kind kind, Double value, Instant observedAt, String reason) {
        this(kind, value, observedAt, reason, null);
    }

    /** The same reading with the stable version's value (null: none could be measured). */
    public Reading withBaseline(Double stable) {
        return new Reading(kind, value, observedAt, reason, stable);
    }

    /** A measured value; NaN and ±Inf are not measurements (no data is never success) and become ERROR. */
    public static Reading of(double value, Instant observedAt, String note) {
        if (Double.isNaN(value)) {
            return couldNotMeasure("the value is NaN (no data, e.g. 0/0 with no requests)", observedAt);
        }
        if (Double.isInfinite(value)) {
            return couldNotMeasure("the value is " + (value > 0 ? "+Inf" : "-Inf") + " (e.g. x/0)", observedAt);
        }
        return new Reading(Kind.MEASURED, value, observedAt, note);
    }

    public static Reading of(double value, Instant observedAt) {
        return of(value, observedAt, null);
    }

    public static Reading couldNotMeasure(String reason, Instant observedAt) {
        return new Reading(Kind.ERROR, null, observedAt, reason);
    }

    public static Reading noData(String reason, Instant observedAt) {
        return new Reading(Kind.NO_DATA, null, observedAt, reason);
    }

    public static Reading notYet(String reason) {
        return new Reading(Kind.NOT_YET, null, null, reason);
    }

    public boolean measured() {
        return kind == Kind.MEASURED;
    }
}
