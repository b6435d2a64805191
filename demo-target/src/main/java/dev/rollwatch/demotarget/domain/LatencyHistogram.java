package dev.rollwatch.demotarget.domain;

import java.util.List;

/**
 * A latency histogram as Prometheus exposes it.
 *
 * @param upperBounds      bucket upper bounds in seconds, ascending, without {@code +Inf}
 * @param cumulativeCounts for each upper bound, how many observations were at most that long
 * @param sum              sum of all observations, in seconds
 * @param count            number of observations (the {@code +Inf} bucket)
 */
public record LatencyHistogram(List<Double> upperBounds, List<Long> cumulativeCounts, double sum, long count) {

    public LatencyHistogram {
        upperBounds = List.copyOf(upperBounds);
        cumulativeCounts = List.copyOf(cumulativeCounts);
        if (upperBounds.size() != cumulativeCounts.size()) {
            throw new IllegalArgumentException("one cumulative count per upper bound");
        }
    }
}
