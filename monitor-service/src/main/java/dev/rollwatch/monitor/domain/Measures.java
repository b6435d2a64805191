package dev.rollwatch.monitor.domain;

import dev.rollwatch.events.Measure;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a check compares with its range, from the measured value, as pure functions: the value itself, the value
 * against the stable version's (ratio, difference) or the value's growth per hour (least-squares slope over the
 * window). A figure that cannot be computed (no baseline, a zero baseline for a ratio, too few points for a slope)
 * is {@link Figure#missing}: an ERROR measurement with the reason, never a pass.
 */
public final class Measures {

    private static final double MILLIS_PER_HOUR = Duration.ofHours(1).toMillis();

    private Measures() {
    }

    /** One point of a trend: when, and the value then. */
    public record Point(long atMillis, double value) {
    }

    /** The compared figure, or why there is none; {@code baseline} is the stable value it was compared with. */
    public record Figure(Double value, Double baseline, String missing) {

        static Figure of(double value, Double baseline) {
            return new Figure(value, baseline, null);
        }

        static Figure none(String why, Double baseline) {
            return new Figure(null, baseline, why);
        }

        public boolean computed() {
            return missing == null;
        }
    }

    /** {@code canary / stable}; no baseline, or a zero one, is no figure. */
    public static Figure ratio(double canary, Double stable) {
        if (stable == null) {
            return Figure.none("no baseline: no value of the stable version to compare with", null);
        }
        if (stable == 0) {
            return Figure.none("the stable version's value is 0: the ratio is undefined", stable);
        }
        return Figure.of(canary / stable, stable);
    }

    /** {@code canary - stable}; no baseline is no figure. */
    public static Figure difference(double canary, Double stable) {
        if (stable == null) {
            return Figure.none("no baseline: no value of the stable version to compare with", null);
        }
        return Figure.of(canary - stable, stable);
    }

    /**
     * The least-squares slope of the points, in value units per hour. Needs at least two points at different
     * times; otherwise null (no data).
     */
    public static Double slopePerHour(List<Point> points) {
        if (points.size() < 2) {
            return null;
        }
        long origin = points.get(0).atMillis();
        double n = points.size();
        double meanX = 0;
        double meanY = 0;
        for (Point p : points) {
            meanX += (p.atMillis() - origin) / n;
            meanY += p.value() / n;
        }
        double sxx = 0;
        double sxy = 0;
        for (Point p : points) {
            double dx = (p.atMillis() - origin) - meanX;
            sxx += dx * dx;
            sxy += dx * (p.value() - meanY);
        }
        if (sxx == 0) {
            return null;
        }
        return sxy / sxx * MILLIS_PER_HOUR;
    }

    /**
     * The trend after a new point: the points within {@code window} of the newest one (a point older than the
     * newest is inserted in time order), oldest first.
     */
    public static List<Point> within(List<Point> points, Point added, Duration window) {
        List<Point> all = new ArrayList<>(points);
        int i = all.size();
        while (i > 0 && all.get(i - 1).atMillis() > added.atMillis()) {
            i--;
        }
        all.add(i, added);
        long newest = all.get(all.size() - 1).atMillis();
        long oldest = newest - window.toMillis();
        return all.stream().filter(p -> p.atMillis() >= oldest).toList();
    }

    /**
     * The figure a check of {@code measure} compares, from the canary's value, the stable version's value
     * ({@code BASELINE_*}), or the trend's points including this value ({@code GROWTH_PER_HOUR}).
     */
    public static Figure figure(Measure measure, double value, Double stable, List<Point> trend) {
        return switch (measure) {
            case VALUE -> Figure.of(value, null);
            case BASELINE_RATIO -> ratio(value, stable);
            case BASELINE_DIFFERENCE -> difference(value, stable);
            case GROWTH_PER_HOUR -> {
                Double slope = slopePerHour(trend);
                yield slope == null
                        ? Figure.none("no data: a growth needs at least two measurements at different times within "
                                + "the window", null)
                        : Figure.of(slope, null);
            }
        };
    }

    /** A point of the trend at {@code at}. */
    public static Point point(Instant at, double value) {
        return new Point(at.toEpochMilli(), value);
    }
}
