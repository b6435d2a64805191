package dev.rollwatch.monitor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "rollwatch.monitor")
public interface MonitorConfig {

    /**
     * How long a watch keeps evaluating after DeploymentFinished(SUCCEEDED): post-promotion monitoring, when the
     * new version takes all the traffic. Zero stops the watch at once.
     */
    @WithDefault("10m")
    Duration bakeWindow();

    /** How often baked watches are looked for and stopped (also read by the scheduler's expression). */
    @WithDefault("1s")
    Duration bakeCheckInterval();

    /**
     * How often the polled providers' checks ({@code scrape}, {@code prometheus}) are looked at; each check is
     * measured at its own interval.
     */
    @WithDefault("1s")
    Duration scrapeTick();

    /** How many of each check's latest measurements the analysis view keeps. */
    @WithDefault("20")
    int recentMeasurements();

    /** Most samples accepted in one POST /api/v1/samples. */
    @WithDefault("1000")
    int maxSamplesPerRequest();

    /** How far in the future a sample's observedAt may be (clock skew) before it is refused. */
    @WithDefault("5m")
    Duration maxClockSkew();

    /** The {@code prometheus} provider. */
    Prometheus prometheus();

    interface Prometheus {

        /** Base URL of the Prometheus server whose HTTP API ({@code /api/v1/query}) the checks query. */
        @WithDefault("http://127.0.0.1:9090")
        String url();

        /** How long one query may take (also sent to Prometheus as its {@code timeout}). */
        @WithDefault("2s")
        Duration timeout();
    }
}
