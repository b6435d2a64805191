package dev.rollwatch.monitor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "rollwatch.monitor")
public interface MonitorConfig {

    /**
     * How long a watch keeps evaluating after DeploymentFinished(SUCCEEDED): the bake window (runbooks 001/002: one
     * hour), when the new version takes all the traffic; breaches in it carry {@code phase: bake}. A deployment's own
     * {@code DeploymentStarted.bakeWindow} overrides it. Zero stops the watch at once.
     */
    @WithDefault("1h")
    Duration bakeWindow();

    /**
     * The bake window's checkpoints after success (runbooks 001/002: 15 minutes, 30 minutes, 1 hour): a BakeCheckpoint
     * event at each; offsets at or beyond the window are dropped, the window's end is always the last checkpoint.
     */
    @WithDefault("15m,30m,60m")
    List<Duration> bakeCheckpoints();

    /** How often baking and verifying watches are looked at (also read by the scheduler's expression). */
    @WithDefault("1s")
    Duration bakeCheckInterval();

    /**
     * How long a target (its health endpoint or metrics source) must have been unreachable before it is an outage:
     * one ThresholdBreached of kind {@code unavailable}, P0 (runbook 002: application down → P0). A single failed
     * read is only an ERROR measurement.
     */
    @WithDefault("1m")
    Duration outageDetection();

    /** How often the availability signals are read (the health endpoint) and judged. */
    @WithDefault("5s")
    Duration availabilityInterval();

    /**
     * Whether the target's health endpoint {@code {target.url}/health?version=<version>} is probed as an availability
     * signal (a refused connection, a timeout or a 5xx is down; 404 means the target does not serve it: no signal).
     */
    @WithDefault("true")
    boolean healthProbe();

    /** How long one health probe may take. */
    @WithDefault("2s")
    Duration healthTimeout();

    /**
     * How long the restored version is watched after a rollback (runbooks 000/002/004: 30 minutes) before the
     * rollback is VERIFIED.
     */
    @WithDefault("30m")
    Duration verifyWindow();

    /**
     * How often the polled providers' checks ({@code scrape}, {@code prometheus}) are looked at; each check is
     * measured at its own interval.
     */
    @WithDefault("1s")
    Duration scrapeTick();

    /**
     * The fewest requests of the watched version a scraped error or success rate is measured over; with fewer since
     * the previous measurement the check is NOT_YET and they add up. Latency quantiles are not held back.
     */
    @WithDefault("100")
    int scrapeMinRequests();

    /**
     * Threads that measure the polled providers' checks and probe targets' health, one deployment per task: a slow
     * scrape, query or probe of one deployment (each bounded by its deadline) does not delay another's. A round
     * mostly waits for a metrics page shared with other rounds: with 4, 200 deployments' rounds began 4.8 s after
     * they were due (mean) and 5 s bake windows ended without a measurement; with 8, 2.4 s (issue 16, 4).
     */
    @WithDefault("8")
    int pollWorkers();

    /** How many of each check's latest measurements the analysis view keeps. */
    @WithDefault("20")
    int recentMeasurements();

    /**
     * How many of each check's newest measurements its series keeps for the charts
     * ({@code GET /api/v1/deployments/{id}/series}): 720 is an hour at the built-in checks' 5 s interval. The
     * table holds at most a quarter more per check (older rows are deleted every {@code series-points / 4} appends).
     */
    @WithDefault("720")
    int seriesPoints();

    /** Most samples accepted in one POST /api/v1/samples. */
    @WithDefault("1000")
    int maxSamplesPerRequest();

    /** How far in the future a sample's observedAt may be (clock skew) before it is refused. */
    @WithDefault("5m")
    Duration maxClockSkew();

    /** The {@code metric-samples} topic (SamplesReported). */
    MetricSamples metricSamples();

    interface MetricSamples {

        /**
         * The services whose watches the topic may feed ({@code *} for all; unset: none): the scope of every
         * principal allowed to WRITE the topic, together, since a record names no identity the monitor could verify.
         */
        Optional<List<String>> services();
    }

    /** The {@code prometheus} provider. */
    Prometheus prometheus();

    interface Prometheus {

        /** Base URL of the Prometheus server whose HTTP API ({@code /api/v1/query}) the checks query. */
        @WithDefault("http://127.0.0.1:9090")
        String url();

        /** How long one query may take (also sent to Prometheus as its {@code timeout}). */
        @WithDefault("2s")
        Duration timeout();

        /**
         * The administrator's query templates, by name ({@code rollwatch.monitor.prometheus.templates."<name>"}): a
         * check chooses one with {@code query: "template:<name>"}; {@code {{service}}}, {@code {{version}}},
         * {@code {{environment}}} and {@code {{previousVersion}}} are filled from the deployment.
         */
        Map<String, String> templates();

        /**
         * Whether a check may bring its own PromQL. Even then it runs only if every vector selector in it carries
         * {@code service="<the deployment's service>"}; {@code false}: only templates run.
         */
        @WithDefault("true")
        boolean rawQueries();
    }
}
