package dev.rollwatch.monitor.provider.prometheus;

import dev.rollwatch.monitor.provider.WatchedDeployment;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryTemplateTest {

    private static final WatchedDeployment WATCH = new WatchedDeployment("d-1", "checkout", "production", "2.4.0",
            "2.3.0", null);

    @Test
    void fillsTheDeploymentsPlaceholders() {
        String query = "sum(rate(http_requests_total{service=\"{{service}}\",version=\"{{ version }}\","
                + "env=\"{{environment}}\",code=~\"5..\"}[1m])) / sum(rate(http_requests_total{version="
                + "\"{{previousVersion}}\"}[1m]))";

        assertThat(QueryTemplate.expand(query, WATCH)).isEqualTo("sum(rate(http_requests_total{service="
                + "\"checkout\",version=\"2.4.0\",env=\"production\",code=~\"5..\"}[1m])) / "
                + "sum(rate(http_requests_total{version=\"2.3.0\"}[1m]))");
    }

    @Test
    void aValueCannotBreakOutOfItsStringLiteral() {
        WatchedDeployment hostile = new WatchedDeployment("d-2", "a\"} or vector(1) or {x=\"", "prod", "1\\0",
                null, null);

        assertThat(QueryTemplate.expand("up{service=\"{{service}}\",version=\"{{version}}\"}", hostile))
                .isEqualTo("up{service=\"a\\\"} or vector(1) or {x=\\\"\",version=\"1\\\\0\"}");
    }

    @Test
    void anUnknownPlaceholderIsRefused() {
        assertThatThrownBy(() -> QueryTemplate.expand("up{pod=\"{{pod}}\"}", WATCH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{{pod}}");
    }
}
