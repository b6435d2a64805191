package dev.rollwatch.monitor.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rollwatch.events.Severity;

import java.time.Instant;
import java.util.List;

/**
 * A deployment's measurements over time, for the console's charts: per check its range ({@code min}, {@code max}),
 * the bound a breach is drawn against ({@code operator} and {@code threshold}), the newest points, oldest first, and
 * the breach episodes at the time of their deciding measurement.
 * Absent values are written as null (the chart reads {@code "min": null}, {@code "v": null}), not left out.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SeriesView(String deploymentId, List<CheckSeries> checks) {

    /**
     * One check. {@code threshold}/{@code operator}: the max and {@code ">"} when the check has one (a value above
     * it fails), else the min and {@code "<"}; a check with both has both in {@code min}/{@code max}. {@code unit}:
     * {@code ratio} (a fraction, 0.01 = 1 %), {@code seconds}, {@code bytes}, those per hour ({@code bytes/h}) for a
     * growth check, or null when the metric's unit is not known. {@code v} of a point is the figure compared with
     * the range (the value, or its ratio/difference against the stable version, or its growth per hour).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CheckSeries(String name, String metric, String measure, String unit, String operator, Double min,
            Double max, double threshold, Severity severity, Integer stepIndex, List<Point> points,
            List<BreachMark> breaches) {
    }

    /** A measurement: when it was observed and the compared figure (null: it could not be measured, ERROR). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Point(Instant t, Double v) {
    }

    /**
     * A breach episode: its deciding measurement's time and figure, severity, episode number and, once a passing
     * measurement closed it, when.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record BreachMark(Instant t, Double v, Severity severity, int episode, Instant recoveredAt) {
    }
}
