package dev.rollwatch.demotarget.service;

import dev.rollwatch.demotarget.domain.LatencyHistogram;

/** What a monitor computes from a histogram: Prometheus' histogram_quantile, linear within a bucket. */
final class Histograms {

    private Histograms() {
    }

    static double quantile(double q, LatencyHistogram histogram) {
        double rank = q * histogram.count();
        double lowerBound = 0;
        long below = 0;
        for (int i = 0; i < histogram.upperBounds().size(); i++) {
            long cumulative = histogram.cumulativeCounts().get(i);
            double upperBound = histogram.upperBounds().get(i);
            if (cumulative >= rank) {
                return lowerBound + (upperBound - lowerBound) * (rank - below) / (cumulative - below);
            }
            lowerBound = upperBound;
            below = cumulative;
        }
        return histogram.upperBounds().get(histogram.upperBounds().size() - 1);
    }
}
