package dev.rollwatch.demotarget.domain;

import java.util.random.RandomGenerator;

/**
 * How one version of the simulated service behaves.
 *
 * @param errorRate             share of requests answered with a 5xx, 0..1
 * @param p95LatencyMs          95th percentile of request latency, in milliseconds
 * @param memoryGrowthMbPerHour how fast its resident memory grows while it serves, in MiB per hour
 * @param down                  the version has stopped answering: the requests routed to it are lost, it reports no
 *                              metrics and its health check fails (503)
 */
public record Behaviour(double errorRate, double p95LatencyMs, double memoryGrowthMbPerHour, boolean down) {

    /**
     * Spread of the log-normal latency distribution (sigma of the underlying normal). 0.5 gives a realistic tail:
     * p95 is about 2.3 times the median, p99 about 3.2 times.
     */
    static final double LATENCY_SIGMA = 0.5;
    /** z-score of the 95th percentile of a standard normal distribution. */
    private static final double Z_95 = 1.6448536269514722;

    /** A version that answers. */
    public Behaviour(double errorRate, double p95LatencyMs, double memoryGrowthMbPerHour) {
        this(errorRate, p95LatencyMs, memoryGrowthMbPerHour, false);
    }

    public Behaviour {
        if (!(errorRate >= 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("errorRate must be between 0 and 1, was " + errorRate);
        }
        if (!(p95LatencyMs > 0 && p95LatencyMs <= 600_000)) {
            throw new IllegalArgumentException("p95LatencyMs must be above 0 and at most 600000, was " + p95LatencyMs);
        }
        if (!(memoryGrowthMbPerHour >= 0 && Double.isFinite(memoryGrowthMbPerHour))) {
            throw new IllegalArgumentException(
                    "memoryGrowthMbPerHour must be 0 or more, was " + memoryGrowthMbPerHour);
        }
    }

    /** The median latency in seconds that puts the 95th percentile of the log-normal distribution at p95LatencyMs. */
    public double medianLatencySeconds() {
        return p95LatencyMs / 1000.0 / Math.exp(LATENCY_SIGMA * Z_95);
    }

    /** The mean latency in seconds (what Little's law needs for the in-flight queue). */
    public double meanLatencySeconds() {
        return medianLatencySeconds() * Math.exp(LATENCY_SIGMA * LATENCY_SIGMA / 2);
    }

    /** One request's latency, in seconds, drawn from this version's distribution. */
    public double sampleLatencySeconds(RandomGenerator random) {
        return medianLatencySeconds() * Math.exp(LATENCY_SIGMA * random.nextGaussian());
    }

    /** Whether one request fails, drawn with this version's error rate. */
    public boolean sampleFailure(RandomGenerator random) {
        return random.nextDouble() < errorRate;
    }

    public Behaviour withErrorRate(double value) {
        return new Behaviour(value, p95LatencyMs, memoryGrowthMbPerHour, down);
    }

    public Behaviour withP95LatencyMs(double value) {
        return new Behaviour(errorRate, value, memoryGrowthMbPerHour, down);
    }

    public Behaviour withMemoryGrowthMbPerHour(double value) {
        return new Behaviour(errorRate, p95LatencyMs, value, down);
    }

    public Behaviour withDown(boolean value) {
        return new Behaviour(errorRate, p95LatencyMs, memoryGrowthMbPerHour, value);
    }
}
