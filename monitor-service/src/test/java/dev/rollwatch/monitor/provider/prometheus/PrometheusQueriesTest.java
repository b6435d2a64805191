package dev.rollwatch.monitor.provider.prometheus;

import dev.rollwatch.monitor.provider.WatchedDeployment;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which PromQL a check may run: the administrator's templates, or its own limited to its deployment's service. */
class PrometheusQueriesTest {

    private static final WatchedDeployment WATCH = new WatchedDeployment("d-1", "checkout", "production", "2.4.0",
            "2.3.0", null);
    private static final String ERRORS = "sum(rate(http_requests_total{service=\"{{service}}\",version="
            + "\"{{version}}\",code=~\"5..\"}[1m])) / sum(rate(http_requests_total{service=\"{{service}}\","
            + "version=\"{{version}}\"}[1m]))";
    private static final PrometheusQueries QUERIES = new PrometheusQueries(Map.of("error-rate", ERRORS), true);

    @Test
    void aTemplateIsChosenByNameAndFilledFromTheDeployment() {
        PrometheusQueries.Resolved resolved = QUERIES.resolve("template:error-rate", WATCH);

        assertThat(resolved.refused()).isFalse();
        assertThat(resolved.promql()).isEqualTo("sum(rate(http_requests_total{service=\"checkout\",version="
                + "\"2.4.0\",code=~\"5..\"}[1m])) / sum(rate(http_requests_total{service=\"checkout\","
                + "version=\"2.4.0\"}[1m]))");
    }

    @Test
    void aServiceNameCannotBreakOutOfTheTemplatesStringLiteral() {
        WatchedDeployment hostile = new WatchedDeployment("d-2", "a\"} or up{x=\"", "prod", "1", null, null);

        String promql = QUERIES.resolve("template:error-rate", hostile).promql();

        assertThat(PromqlSelectors.of(promql)).allMatch(s -> s.has("service", "a\"} or up{x=\""))
                .hasSize(2);
    }

    @Test
    void anUnknownTemplateIsRefusedNamingOnlyAPlainName() {
        assertThat(QUERIES.resolve("template:latency", WATCH).refusal()).contains("unknown query template latency");
        assertThat(QUERIES.resolve("template:x{y=\"z\"}", WATCH).refusal())
                .isEqualTo("unknown query template (rollwatch.monitor.prometheus.templates)");
    }

    @Test
    void anOwnQueryRunsOnlyOnItsServicesSeries() {
        assertThat(QUERIES.resolve("max(queue_size{service=\"{{service}}\"})", WATCH).promql())
                .isEqualTo("max(queue_size{service=\"checkout\"})");
        assertThat(QUERIES.resolve("max(queue_size{service=\"checkout\"})", WATCH).refused()).isFalse();
        assertThat(QUERIES.resolve("max(queue_size{service=\"other\"})", WATCH).refusal())
                .contains("does not carry service=\"checkout\"");
        assertThat(QUERIES.resolve("max(queue_size)", WATCH).refused()).isTrue();
    }

    @Test
    void withRawQueriesOffOnlyTemplatesRun() {
        PrometheusQueries templatesOnly = new PrometheusQueries(Map.of("error-rate", ERRORS), false);

        assertThat(templatesOnly.resolve("max(queue_size{service=\"checkout\"})", WATCH).refusal())
                .contains("only the administrator's query templates");
        assertThat(templatesOnly.resolve("template:error-rate", WATCH).refused()).isFalse();
    }
}
