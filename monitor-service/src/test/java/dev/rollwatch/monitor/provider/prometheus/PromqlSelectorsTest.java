package dev.rollwatch.monitor.provider.prometheus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The selectors a query reads, and the rule: every one of them carries service="<the deployment's service>". */
class PromqlSelectorsTest {

    @Test
    void findsEverySelectorAndSkipsFunctionsGroupingAndRanges() {
        List<PromqlSelectors.Selector> selectors = PromqlSelectors.of("histogram_quantile(0.95, sum by (le) ("
                + "rate(http_request_duration_seconds_bucket{service=\"checkout\",version=\"2.4.0\"}[1m]))) "
                + "/ ignoring(code) group_left sum without (pod) (up{service='checkout'} offset 5m) "
                + "+ on() vector(1) - {__name__=~\"x_.*\", service=\"checkout\"}[5m:1m] @ start()");

        assertThat(selectors).extracting(PromqlSelectors.Selector::metric)
                .containsExactly("http_request_duration_seconds_bucket", "up", null);
        assertThat(selectors.get(0).matchers()).containsExactly(
                new PromqlSelectors.Matcher("service", "=", "checkout"),
                new PromqlSelectors.Matcher("version", "=", "2.4.0"));
        assertThat(selectors).allMatch(s -> s.has("service", "checkout"));
    }

    @Test
    void aQueryWhoseEverySelectorNamesTheServiceMayRun() {
        assertThat(PromqlSelectors.outsideService("sum(rate(http_requests_total{service=\"checkout\",code=~\"5..\"}"
                + "[1m])) / sum(rate(http_requests_total{service=\"checkout\"}[1m]))", "checkout")).isEmpty();
        // an extra matcher on the same label only narrows the selection
        assertThat(PromqlSelectors.outsideService("up{service=\"checkout\", service=~\".*\"}", "checkout"))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "sum(rate(http_requests_total{service=\"other\"}[1m]))",
            "up",
            "sum(up{service=\"checkout\"}) + sum(up)",
            "up{service=~\"checkout\"}",
            "up{service=~\"checkout|other\"}",
            "up{service!=\"checkout\"}",
            "{__name__=\"up\"}",
            "up{service=\"checkout\"} or on() secret_metric{job=\"vault\"}",
            "vector(1)",
            "count(up{service=\"checkout\"}) * scalar(other{service=\"other\"})",
            "up{service=\"checkout\"",
            "up{service=\"checkout}",
            "up{service=\"checkout\"}) ",
            "up{service=\"\\x63heckout\"}",
            "up{service=\"checkout\"} ; drop",
    })
    void anyOtherQueryIsRefused(String query) {
        assertThat(PromqlSelectors.outsideService(query, "checkout")).isPresent();
    }

    @Test
    void theReasonNeverQuotesTheQuery() {
        assertThat(PromqlSelectors.outsideService("sum(aws_secret_metric{service=\"other\"})", "checkout"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("service=\"checkout\"")
                        .doesNotContain("aws_secret_metric").doesNotContain("other"));
    }

    @Test
    void aMisreadableQueryIsAnError() {
        assertThatThrownBy(() -> PromqlSelectors.of("up{service=\"a\" service=\"b\"}"))
                .isInstanceOf(PromqlSelectors.UnreadableQuery.class);
    }
}
