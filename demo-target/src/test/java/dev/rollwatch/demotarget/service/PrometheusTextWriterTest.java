package dev.rollwatch.demotarget.service;

import dev.rollwatch.demotarget.domain.Behaviour;
import dev.rollwatch.demotarget.domain.LatencyHistogram;
import dev.rollwatch.demotarget.domain.ServiceMetrics;
import dev.rollwatch.demotarget.domain.VersionMetrics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextWriterTest {

    @Test
    void rendersCountersHistogramsAndGaugesOfEveryVersion() {
        LatencyHistogram latency = new LatencyHistogram(List.of(0.1, 0.5, 1.0), List.of(90L, 97L, 100L), 7.25, 100);
        LatencyHistogram empty = new LatencyHistogram(List.of(0.1, 0.5, 1.0), List.of(0L, 0L, 0L), 0, 0);
        ServiceMetrics checkout = new ServiceMetrics("checkout", 12, List.of(
                new VersionMetrics("2.3.0", Map.of(200, 99L, 500, 1L), latency, OptionalDouble.of(188743680)),
                new VersionMetrics("2.4.0", Map.of(200, 0L, 500, 0L), empty, OptionalDouble.empty())));

        String text = PrometheusTextWriter.write(List.of(checkout));

        assertThat(text).isEqualTo("""
                # HELP http_requests_total Requests the simulated service answered, by version and status code.
                # TYPE http_requests_total counter
                http_requests_total{service="checkout",version="2.3.0",code="200"} 99
                http_requests_total{service="checkout",version="2.3.0",code="500"} 1
                http_requests_total{service="checkout",version="2.4.0",code="200"} 0
                http_requests_total{service="checkout",version="2.4.0",code="500"} 0
                # HELP http_request_duration_seconds Latency of the simulated service's requests, by version.
                # TYPE http_request_duration_seconds histogram
                http_request_duration_seconds_bucket{service="checkout",version="2.3.0",le="0.1"} 90
                http_request_duration_seconds_bucket{service="checkout",version="2.3.0",le="0.5"} 97
                http_request_duration_seconds_bucket{service="checkout",version="2.3.0",le="1"} 100
                http_request_duration_seconds_bucket{service="checkout",version="2.3.0",le="+Inf"} 100
                http_request_duration_seconds_sum{service="checkout",version="2.3.0"} 7.25
                http_request_duration_seconds_count{service="checkout",version="2.3.0"} 100
                http_request_duration_seconds_bucket{service="checkout",version="2.4.0",le="0.1"} 0
                http_request_duration_seconds_bucket{service="checkout",version="2.4.0",le="0.5"} 0
                http_request_duration_seconds_bucket{service="checkout",version="2.4.0",le="1"} 0
                http_request_duration_seconds_bucket{service="checkout",version="2.4.0",le="+Inf"} 0
                http_request_duration_seconds_sum{service="checkout",version="2.4.0"} 0
                http_request_duration_seconds_count{service="checkout",version="2.4.0"} 0
                # HELP queue_size Requests in flight in the simulated service.
                # TYPE queue_size gauge
                queue_size{service="checkout"} 12
                # HELP process_resident_memory_bytes Resident memory of each deployed version of the simulated service.
                # TYPE process_resident_memory_bytes gauge
                process_resident_memory_bytes{service="checkout",version="2.3.0"} 188743680
                """);
        ExpositionChecker.check(text);
    }

    @Test
    void simulatedTrafficRendersAsValidExpositionWithCumulativeBuckets() {
        BehaviourCatalog behaviours = new BehaviourCatalog(new Behaviour(0.001, 120, 0), new Behaviour(0.08, 900, 0),
                Set.of(), "bad");
        TrafficSimulator simulator = new TrafficSimulator(behaviours, new SplittableRandom(5), 200, 180);
        simulator.route("checkout", "2.3.0", "2.4.0-bad", 25);
        simulator.route("payments", "1.0.0", null, 0);
        for (int i = 0; i < 300; i++) {
            simulator.tick(Duration.ofMillis(100));
        }

        List<ExpositionChecker.Sample> samples = ExpositionChecker.check(PrometheusTextWriter.write(simulator.snapshot()));

        assertThat(samples)
                .filteredOn(s -> s.name().equals("http_request_duration_seconds_bucket"))
                .extracting(s -> s.labels().get("le"))
                .containsOnly("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf");
        double canaryRequests = samples.stream()
                .filter(s -> s.name().equals("http_requests_total"))
                .filter(s -> s.labels().get("version").equals("2.4.0-bad"))
                .mapToDouble(ExpositionChecker.Sample::value)
                .sum();
        double canaryCount = samples.stream()
                .filter(s -> s.name().equals("http_request_duration_seconds_count"))
                .filter(s -> s.labels().get("version").equals("2.4.0-bad"))
                .mapToDouble(ExpositionChecker.Sample::value)
                .sum();
        assertThat(canaryRequests).isPositive().isEqualTo(canaryCount);
        assertThat(samples).filteredOn(s -> s.name().equals("queue_size")).hasSize(2);
        assertThat(samples).filteredOn(s -> s.name().equals("process_resident_memory_bytes")).hasSize(3);
    }

    @Test
    void escapesLabelValuesAndNeverWritesExponents() {
        LatencyHistogram empty = new LatencyHistogram(List.of(0.005), List.of(0L), 0.00001, 0);
        ServiceMetrics odd = new ServiceMetrics("a\"b\\c\nd", 0, List.of(
                new VersionMetrics("1", Map.of(200, 0L), empty, OptionalDouble.of(1e12))));

        String text = PrometheusTextWriter.write(List.of(odd));

        assertThat(text).contains("service=\"a\\\"b\\\\c\\nd\"")
                .contains("_sum{service=\"a\\\"b\\\\c\\nd\",version=\"1\"} 0.00001")
                .contains("} 1000000000000\n")
                .doesNotContain("E-").doesNotContain("E+");
        ExpositionChecker.check(text);
    }
}
