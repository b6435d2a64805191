package dev.rollwatch.deploy.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Publishes the detection-to-rollback timer ({@code rollwatch.rollback.detection.latency}, breach observed →
 * rollback completed) as a Prometheus histogram besides its client-side percentiles, so that Grafana and alerts can
 * compute p50/p99 over any window and across instances with {@code histogram_quantile} (percentiles cannot be
 * aggregated). Fixed buckets from 50 ms to 5 min keep the series count small; the runbooks' target is seconds.
 */
public class LatencyHistograms {

    static final String DETECTION_TO_ROLLBACK = "rollwatch.rollback.detection.latency";
    static final Duration[] BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120),
        Duration.ofSeconds(300)};

    @Produces
    @Singleton
    MeterFilter detectionToRollbackBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!DETECTION_TO_ROLLBACK.equals(id.getName())) {
                    return config;
                }
                double[] slos = new double[BUCKETS.length];
                for (int i = 0; i < BUCKETS.length; i++) {
                    slos[i] = BUCKETS[i].toNanos();
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(slos)
                        .minimumExpectedValue((double) BUCKETS[0].toNanos())
                        .maximumExpectedValue((double) BUCKETS[BUCKETS.length - 1].toNanos()).build().merge(config);
            }
        };
    }
}
