package dev.rollwatch.monitor.provider.scrape;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ScrapeMathTest {

    /** The demo target's exposition: stable 2.3.0 and canary 2.4.0 of checkout. */
    static String scrape(int stableOk, int stableErr, int canaryOk, int canaryErr, int[] canaryBuckets) {
        StringBuilder b = new StringBuilder("""
                # HELP http_requests_total Requests answered.
                # TYPE http_requests_total counter
                http_requests_total{service="checkout",version="2.3.0",code="200"} %d
                http_requests_total{service="checkout",version="2.3.0",code="500"} %d
                http_requests_total{service="checkout",version="2.4.0",code="200"} %d
                http_requests_total{service="checkout",version="2.4.0",code="500"} %d
                # TYPE http_request_duration_seconds histogram
                """.formatted(stableOk, stableErr, canaryOk, canaryErr));
        String[] le = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf"};
        for (int i = 0; i < le.length; i++) {
            b.append("http_request_duration_seconds_bucket{service=\"checkout\",version=\"2.4.0\",le=\"")
                    .append(le[i]).append("\"} ").append(canaryBuckets[i]).append('\n');
        }
        b.append("queue_size{service=\"checkout\"} 3\n");
        return b.toString();
    }

    static final int[] ZERO = new int[12];

    @Test
    void parsesLabelsEscapesAndSpecialValues() {
        List<PrometheusText.Series> series = PrometheusText.parse("""
                # a comment
                up 1
                odd{path="/a\\"b",x="1"} NaN 1712000000000
                big{le="+Inf"} +Inf
                """);
        assertThat(series).hasSize(3);
        assertThat(series.get(0).value()).isEqualTo(1.0);
        assertThat(series.get(1).label("path")).isEqualTo("/a\"b");
        assertThat(series.get(1).value()).isNaN();
        assertThat(series.get(2).value()).isInfinite();
        assertThatThrownBy(() -> PrometheusText.parse("up 1\nbroken{x=1} 2"))
                .hasMessageContaining("line 2");
    }

    @Test
    void eachLineIsReadOnItsOwnAndRepeatedStringsAreHeldOnce() {
        List<PrometheusText.Series> series = PrometheusText.parse("up{job=\"a\\\\b\\nc\",x=\"1\"} 2\r\n"
                + "  up{job=\"a\\\\b\\nc\", x=\"1\"}\t3 1712000000000  \r\n"
                + "http_requests_total{service=\"checkout\",version=\"2.4.0\",code=\"500\"} 4\n"
                + "http_requests_total{service=\"checkout\",version=\"2.4.0\",code=\"200\"} 5");
        assertThat(series).extracting(PrometheusText.Series::value).containsExactly(2.0, 3.0, 4.0, 5.0);
        assertThat(series.get(0).label("job")).isEqualTo("a\\b\nc");
        assertThat(series.get(1).labels()).isEqualTo(series.get(0).labels());
        // The same name and label value on several lines: one string, not one per line.
        assertThat(series.get(3).name()).isSameAs(series.get(2).name());
        assertThat(series.get(3).label("service")).isSameAs(series.get(2).label("service"));
        assertThat(series.get(1).label("job")).isSameAs(series.get(0).label("job"));
        // A label left open is refused on its own line: the parser never reads on into the next one.
        assertThatThrownBy(() -> PrometheusText.parse("up{job=\"a\n\"} 1")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> PrometheusText.parse("up{job=\"a\"\nnext 1")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> PrometheusText.parse("up{job=\"a\"}")).hasMessageContaining("line 1");
    }

    @Test
    void aFilteredParseKeepsOnlyTheAcceptedSamplesButStillChecksEveryLine() {
        String page = scrape(1000, 0, 100, 2, ZERO) + "http_requests_total{service=\"payments\",version=\"1.0.0\",code=\"200\"} 7\n";
        List<PrometheusText.Series> checkout = PrometheusText.parse(page, s -> "checkout".equals(s.label("service")));
        assertThat(checkout).hasSize(PrometheusText.parse(page).size() - 1)
                .allSatisfy(s -> assertThat(s.label("service")).isEqualTo("checkout"));
        // The figures from the filtered page are those from the whole page.
        var after = PrometheusText.parse(scrape(1950, 0, 146, 6, ZERO), s -> "checkout".equals(s.label("service")));
        assertThat(ScrapeMath.errorRate(checkout, after, "checkout", "2.4.0")).isCloseTo(0.08, within(1e-9));
        // A malformed line of a series that would not be kept still fails the whole scrape.
        assertThatThrownBy(() -> PrometheusText.parse(page + "broken{service=\"payments\",x=1} 2\n",
                s -> "checkout".equals(s.label("service")))).hasMessageContaining("is not a Prometheus sample");
    }

    @Test
    void theCanarysErrorRateComesFromItsCounterIncreases() {
        var before = PrometheusText.parse(scrape(1000, 0, 100, 2, ZERO));
        var after = PrometheusText.parse(scrape(1950, 0, 146, 6, ZERO));
        // canary: 46 ok + 4 errors between the scrapes = 8%; the stable version's traffic does not dilute it.
        assertThat(ScrapeMath.errorRate(before, after, "checkout", "2.4.0")).isCloseTo(0.08, within(1e-9));
        assertThat(ScrapeMath.successRate(before, after, "checkout", "2.4.0")).isCloseTo(0.92, within(1e-9));
        assertThat(ScrapeMath.errorRate(before, after, "checkout", "2.3.0")).isEqualTo(0.0);
    }

    @Test
    void noTrafficIsNoDataNotAPass() {
        var same = PrometheusText.parse(scrape(1000, 0, 100, 2, ZERO));
        assertThat(ScrapeMath.errorRate(same, same, "checkout", "2.4.0")).isNull();
        assertThat(ScrapeMath.successRate(same, same, "checkout", "2.4.0")).isNull();
        assertThat(ScrapeMath.errorRate(same, same, "checkout", "9.9.9")).isNull();
        assertThat(ScrapeMath.quantile(0.95, same, same, "checkout", "2.4.0")).isNull();
    }

    @Test
    void aCounterThatWentBackWasResetAndCountsFromZero() {
        var before = PrometheusText.parse(scrape(1000, 0, 500, 50, ZERO));
        var after = PrometheusText.parse(scrape(1100, 0, 90, 10, ZERO));
        assertThat(ScrapeMath.errorRate(before, after, "checkout", "2.4.0")).isCloseTo(0.10, within(1e-9));
    }

    @Test
    void p95IsInterpolatedFromTheBucketIncreases() {
        int[] before = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 100, 100};
        // 100 new requests: 90 at or under 0.1s, 10 more under 0.5s (cumulative increases below)
        int[] after = {10, 20, 30, 80, 140, 150, 170, 180, 190, 200, 200, 200};
        Double p95 = ScrapeMath.quantile(0.95, PrometheusText.parse(scrape(0, 0, 0, 0, before)),
                PrometheusText.parse(scrape(0, 0, 0, 0, after)), "checkout", "2.4.0");
        // increases: le 0.1 → 90, le 0.25 → 90, le 0.5 → 100; rank 95 lies halfway through (0.25, 0.5]
        assertThat(p95).isCloseTo(0.375, within(1e-9));
    }

    @Test
    void aQuantileAboveTheHighestFiniteBucketIsThatBucketsBound() {
        int[] after = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 100};
        Double p95 = ScrapeMath.quantile(0.95, PrometheusText.parse(scrape(0, 0, 0, 0, ZERO)),
                PrometheusText.parse(scrape(0, 0, 0, 0, after)), "checkout", "2.4.0");
        assertThat(p95).isEqualTo(10.0);
    }

    @Test
    void gaugesAreReadPerVersionOrPerServiceWhenTheTargetHasNoVersionLabel() {
        var scrape = PrometheusText.parse("""
                process_resident_memory_bytes{service="checkout",version="2.3.0"} 188743680
                process_resident_memory_bytes{service="checkout",version="2.4.0"} 200000000
                process_resident_memory_bytes{service="search",version="2.4.0"} 1
                queue_size{service="checkout"} 12
                """);
        assertThat(ScrapeMath.gauge(scrape, "process_resident_memory_bytes", "checkout", "2.4.0"))
                .isEqualTo(200000000.0);
        assertThat(ScrapeMath.gauge(scrape, "process_resident_memory_bytes", "checkout", "2.3.0"))
                .isEqualTo(188743680.0);
        assertThat(ScrapeMath.gauge(scrape, "process_resident_memory_bytes", "checkout", "9.9.9")).isNull();
        assertThat(ScrapeMath.gauge(scrape, "queue_size", "checkout", "2.4.0")).isEqualTo(12.0);
        assertThat(ScrapeMath.gauge(scrape, "queue_size", "search", "2.4.0")).isNull();
    }
}
