package dev.rollwatch.monitor.provider.prometheus;

import dev.rollwatch.monitor.config.MonitorConfig;
import dev.rollwatch.monitor.domain.CheckRule;
import dev.rollwatch.monitor.provider.MetricProvider;
import dev.rollwatch.monitor.provider.Reading;
import dev.rollwatch.monitor.provider.WatchedDeployment;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * The {@code prometheus} provider: the check's {@code query} (PromQL, with {@code {{service}}},
 * {@code {{version}}}, {@code {{environment}}} filled in) evaluated by the configured Prometheus server. Anything
 * A check comparing with the baseline runs the same query for the stable version ({@code {{version}}} = the
 * previous version) right after, as its baseline. Anything
 * but one finite number is ERROR (could not measure) with the reason — never FAILED, so a Prometheus outage
 * cannot roll a deployment back by itself.
 */
@ApplicationScoped
public class PrometheusProvider implements MetricProvider {

    public static final String NAME = "prometheus";
    private static final Logger LOG = Logger.getLogger(PrometheusProvider.class);

    private final PrometheusClient client;

    public PrometheusProvider(MonitorConfig config) {
        this.client = new PrometheusClient(config.prometheus().url(), config.prometheus().timeout());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Reading measure(CheckRule check, WatchedDeployment watch) {
        if (check.query() == null || check.query().isBlank()) {
            return Reading.couldNotMeasure("a prometheus check needs a query (PromQL)", Instant.now());
        }
        String promql;
        try {
            promql = QueryTemplate.expand(check.query(), watch);
        } catch (IllegalArgumentException e) {
            return Reading.couldNotMeasure(e.getMessage(), Instant.now());
        }
        Reading reading = client.query(promql);
        if (!reading.measured()) {
            LOG.debugf("check %s of deployment %s: %s could not measure %s: %s", check.name(), watch.deploymentId(),
                    client.baseUrl(), promql, reading.reason());
            return reading;
        }
        if (check.measure().comparesWithBaseline() && watch.previousVersion() != null) {
            // The baseline: the same query for the stable version ({{version}} = previousVersion).
            WatchedDeployment stable = new WatchedDeployment(watch.deploymentId(), watch.service(),
                    watch.environment(), watch.previousVersion(), watch.previousVersion(), watch.metricsUrl());
            Reading baseline = client.query(QueryTemplate.expand(check.query(), stable));
            if (!baseline.measured()) {
                LOG.debugf("check %s of deployment %s: no baseline for %s: %s", check.name(), watch.deploymentId(),
                        watch.previousVersion(), baseline.reason());
            }
            return reading.withBaseline(baseline.measured() ? baseline.value() : null);
        }
        return reading;
    }
}
