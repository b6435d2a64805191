package dev.rollwatch.platform.outbox;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox series Prometheus scrapes from every service (deploy, monitor, rollback, notifier, audit) for the dashboards
 * and alerts (observability/).
 */
class OutboxMetersTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void theOutboxBacklogAndItsOldestAgeAreExposed() {
        OutboxMeters meters = new OutboxMeters(null, registry);
        assertThat(registry.scrape()).contains("rollwatch_outbox_backlog 0.0", "rollwatch_outbox_oldest_age_seconds 0.0");
        meters.record(4, 95.5);
        assertThat(registry.scrape()).contains("rollwatch_outbox_backlog 4.0", "rollwatch_outbox_oldest_age_seconds 95.5");
        meters.record(7, 12.25);
        assertThat(registry.scrape()).contains("rollwatch_outbox_backlog 7.0", "rollwatch_outbox_oldest_age_seconds 12.25");
        meters.record(0, -0.001); // clocks: never a negative age
        assertThat(registry.scrape()).contains("rollwatch_outbox_backlog 0.0", "rollwatch_outbox_oldest_age_seconds 0.0");
    }
}
