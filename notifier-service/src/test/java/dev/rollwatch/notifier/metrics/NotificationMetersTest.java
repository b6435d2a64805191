package dev.rollwatch.notifier.metrics;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The series Prometheus scrapes from notifier-service for the dashboards and alerts (observability/). */
class NotificationMetersTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private String scrape() {
        return registry.scrape().replace(",}", "}");
    }

    @Test
    void everyFinalOutcomeOfEveryChannelTypeIsThereBeforeTheFirstFailure() {
        new NotificationMeters(List.of("slack", "webhook"), registry);
        assertThat(scrape()).contains(
                "rollwatch_notifier_deliveries_total{channel_type=\"slack\",outcome=\"EXHAUSTED\"} 0.0",
                "rollwatch_notifier_deliveries_total{channel_type=\"slack\",outcome=\"REJECTED\"} 0.0",
                "rollwatch_notifier_deliveries_total{channel_type=\"webhook\",outcome=\"CHANNEL_GONE\"} 0.0",
                "rollwatch_notifier_deliveries_total{channel_type=\"webhook\",outcome=\"DELIVERED\"} 0.0");

        // what DeliveryStore does when a delivery fails for good: the same series counts it
        registry.counter("rollwatch.notifier.deliveries", "channel_type", "slack", "outcome", "EXHAUSTED").increment();
        assertThat(scrape()).contains(
                "rollwatch_notifier_deliveries_total{channel_type=\"slack\",outcome=\"EXHAUSTED\"} 1.0");
    }
}
