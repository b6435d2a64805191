package dev.rollwatch.audit.metrics;

import dev.rollwatch.audit.domain.Checkpoint;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The series Prometheus scrapes from audit-service for the dashboards and alerts (observability/). */
class AuditMetersTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private String scrape() {
        return registry.scrape().replace(",}", "}");
    }

    @Test
    void theChainHeadAndTheLastCheckpointAreExposed() {
        AuditMeters meters = new AuditMeters(null, null, registry);
        assertThat(scrape()).contains("rollwatch_audit_chain_head_position 0.0",
                "rollwatch_audit_checkpoint_last_position 0.0", "rollwatch_audit_checkpoint_last_timestamp_seconds 0.0");

        meters.record(1250, Optional.of(new Checkpoint(1200, new byte[32], "k1", new byte[64],
                Instant.parse("2026-12-04T19:00:00.500Z"))));

        assertThat(scrape()).contains("rollwatch_audit_chain_head_position 1250.0",
                "rollwatch_audit_checkpoint_last_position 1200.0",
                "rollwatch_audit_checkpoint_last_timestamp_seconds 1.7964108005E9");
    }

    @Test
    void aFailedVerificationIsASeriesFromTheStart() {
        new AuditMeters(null, null, registry);
        assertThat(scrape()).contains("rollwatch_audit_verifications_total{valid=\"false\"} 0.0",
                "rollwatch_audit_verifications_total{valid=\"true\"} 0.0");
        // what ChainVerifier counts on a broken chain lands in that series
        registry.counter("rollwatch.audit.verifications", "valid", "false").increment();
        assertThat(scrape()).contains("rollwatch_audit_verifications_total{valid=\"false\"} 1.0");
    }
}
