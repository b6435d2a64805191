package dev.rollwatch.deploy.metrics;

import dev.rollwatch.deploy.domain.DeploymentStatus;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The names and values Prometheus scrapes from deploy-service for the dashboards and alerts (observability/). */
class DeploymentMetersTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** The exposition text, with simpleclient's trailing comma in label sets ({@code {le="1.0",}}) dropped. */
    private String scrape() {
        return registry.scrape().replace(",}", "}");
    }

    @Test
    void inFlightDeploymentsAreCountedPerStatusAndAStalledRollbackShowsItsAge() {
        DeploymentMeters meters = new DeploymentMeters(null, registry);
        assertThat(scrape()).contains("rollwatch_deploy_in_flight{status=\"RUNNING\"} 0.0",
                "rollwatch_deploy_rolling_back_oldest_age_seconds 0.0");

        meters.record(Map.of(DeploymentStatus.RUNNING, 3L, DeploymentStatus.ROLLING_BACK, 1L), 42.5);

        assertThat(scrape()).contains("rollwatch_deploy_in_flight{status=\"RUNNING\"} 3.0",
                "rollwatch_deploy_in_flight{status=\"ROLLING_BACK\"} 1.0",
                "rollwatch_deploy_in_flight{status=\"PENDING\"} 0.0",
                "rollwatch_deploy_in_flight{status=\"AWAITING_APPROVAL\"} 0.0",
                "rollwatch_deploy_in_flight{status=\"PAUSED\"} 0.0",
                "rollwatch_deploy_rolling_back_oldest_age_seconds 42.5");
        assertThat(scrape()).doesNotContain("status=\"SUCCEEDED\"");

        meters.record(Map.of(), 0);
        assertThat(scrape()).contains("rollwatch_deploy_in_flight{status=\"RUNNING\"} 0.0",
                "rollwatch_deploy_rolling_back_oldest_age_seconds 0.0");
    }

    @Test
    void detectionToRollbackIsAHistogramWithFixedBuckets() {
        registry.config().meterFilter(new LatencyHistograms().detectionToRollbackBuckets());
        // registered as RollbackExecutor registers it
        Timer timer = Timer.builder("rollwatch.rollback.detection.latency").publishPercentiles(0.5, 0.95, 0.99)
                .register(registry);
        timer.record(Duration.ofMillis(1800));
        timer.record(Duration.ofSeconds(40));

        String scrape = scrape();
        assertThat(scrape).contains("# TYPE rollwatch_rollback_detection_latency_seconds histogram",
                "rollwatch_rollback_detection_latency_seconds_bucket{le=\"1.0\"} 0.0",
                "rollwatch_rollback_detection_latency_seconds_bucket{le=\"2.0\"} 1.0",
                "rollwatch_rollback_detection_latency_seconds_bucket{le=\"60.0\"} 2.0",
                "rollwatch_rollback_detection_latency_seconds_bucket{le=\"+Inf\"} 2.0",
                "rollwatch_rollback_detection_latency_seconds_count 2.0");
        // the other timers keep their shape
        Timer other = Timer.builder("rollwatch.deploy.driver.calls").register(registry);
        other.record(Duration.ofMillis(5));
        assertThat(scrape()).doesNotContain("rollwatch_deploy_driver_calls_seconds_bucket");
    }
}
