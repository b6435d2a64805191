package dev.rollwatch.monitor.provider.prometheus;

import dev.rollwatch.monitor.config.MonitorConfig;
import dev.rollwatch.monitor.domain.CheckRule;
import dev.rollwatch.monitor.provider.MetricProvider;
import dev.rollwatch.monitor.provider.Reading;
import dev.rollwatch.monitor.provider.WatchedDeployment;
import dev.rollwatch.platform.http.OutboundUrlPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * The {@code prometheus} provider: the check's query — an administrator's template chosen by name, or the
 * deployer's own PromQL limited to the deployment's service ({@link PrometheusQueries}), with {@code {{service}}},
 * {@code {{version}}}, {@code {{environment}}} filled in — evaluated by the configured Prometheus server. A query that
 * may not run is never sent: the check is ERROR with the reason. A check comparing with the baseline runs the same query for the stable version ({@code {{version}}} = the
 * previous version) right after, as its baseline. Anything
 * but one finite number is ERROR (could not measure) with the reason — never FAILED, so a Prometheus outage
 * cannot roll a deployment back by itself.
 */
@ApplicationScoped
public class PrometheusProvider implements MetricProvider {

    public static final String NAME = "prometheus";
    private static final Logger LOG = Logger.getLogger(PrometheusProvider.class);

    private final PrometheusClient client;
    private final PrometheusQueries queries;

    public PrometheusProvider(MonitorConfig config, OutboundUrlPolicy policy) {
        this.client = new PrometheusClient(config.prometheus().url(), config.prometheus().timeout(), policy);
        this.queries = new PrometheusQueries(config.prometheus().templates(), config.prometheus().rawQueries());
    }

    /** What the checks may run (templates and the raw-query rule), for validation. */
    public PrometheusQueries queries() {
        return queries;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Reading measure(CheckRule check, WatchedDeployment watch) {
        PrometheusQueries.Resolved query = queries.resolve(check.query(), watch);
        if (query.refused()) {
            // Refused before anything is sent: the query never reaches Prometheus.
            return Reading.couldNotMeasure(query.refusal(), Instant.now());
        }
        String promql = query.promql();
        Reading reading = client.query(promql, watch.environment());
        if (!reading.measured()) {
            LOG.debugf("check %s of deployment %s: %s could not measure %s: %s", check.name(), watch.deploymentId(),
                    client.baseUrl(), promql, reading.reason());
            return reading;
        }
        if (check.measure().comparesWithBaseline() && watch.previousVersion() != null) {
            // The baseline: the same query for the stable version ({{version}} = previousVersion).
            WatchedDeployment stable = new WatchedDeployment(watch.deploymentId(), watch.service(),
                    watch.environment(), watch.previousVersion(), watch.previousVersion(), watch.metricsUrl());
            PrometheusQueries.Resolved stableQuery = queries.resolve(check.query(), stable);
            Reading baseline = stableQuery.refused()
                    ? Reading.couldNotMeasure(stableQuery.refusal(), Instant.now()) : client.query(stableQuery.promql(), watch.environment());
            if (!baseline.measured()) {
                LOG.debugf("check %s of deployment %s: no baseline for %s: %s", check.name(), watch.deploymentId(),
                        watch.previousVersion(), baseline.reason());
            }
            return reading.withBaseline(baseline.measured() ? baseline.value() : null);
        }
        return reading;
    }
}
