package dev.rollwatch.monitor.provider.scrape;

import dev.rollwatch.monitor.domain.CheckRule;
import dev.rollwatch.monitor.provider.MetricProvider;
import dev.rollwatch.monitor.provider.Reading;
import dev.rollwatch.monitor.provider.WatchedDeployment;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code scrape} provider: reads the deployment's Prometheus text endpoint (its {@code metricsUrl}) and
 * computes the new version's error rate, success rate and p95 latency from the counter and bucket increases
 * since the check's previous scrape, and reads the gauges {@code queue_size} and
 * {@code process_resident_memory_bytes} per version. A check comparing with the baseline gets the stable version's
 * figure from the same fetches. A scrape that fails is "could not measure" (ERROR), never a failure. The
 * first scrape of a check (also after a restart: the previous scrape is kept in memory) is only the baseline for
 * the next one. Checks of one deployment measured together share one HTTP fetch.
 */
@ApplicationScoped
public class ScrapeProvider implements MetricProvider {

    public static final String NAME = "scrape";
    /** The gauges this provider reads as they are, per version. */
    public static final Set<String> GAUGES = Set.of("queue_size", "process_resident_memory_bytes");
    /** The metrics this provider derives from the target protocol's series. */
    public static final Set<String> METRICS = Set.of("error_rate", "success_rate", "latency_p95", "queue_size",
            "process_resident_memory_bytes");

    private static final Logger LOG = Logger.getLogger(ScrapeProvider.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** A fetch this recent is reused by the deployment's other checks measured in the same round. */
    private static final Duration SHARED_FETCH = Duration.ofMillis(250);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    /** The latest fetch of each deployment's endpoint. */
    private final Map<String, Fetch> latest = new ConcurrentHashMap<>();
    /** Each check's previous successful scrape, keyed by deployment id and check name. */
    private final Map<String, Fetch> baselines = new ConcurrentHashMap<>();

    /** One read of an endpoint: the series, or why there are none. */
    record Fetch(List<PrometheusText.Series> series, String error, Instant at) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean covers(CheckRule check, WatchedDeployment watch) {
        return watch.metricsUrl() != null && METRICS.contains(check.metric());
    }

    @Override
    public Reading measure(CheckRule check, WatchedDeployment watch) {
        Fetch now = fetch(watch);
        if (now.error() != null) {
            return Reading.couldNotMeasure(now.error(), now.at());
        }
        boolean withBaseline = check.measure().comparesWithBaseline();
        String stable = watch.previousVersion();
        if (GAUGES.contains(check.metric())) {
            // A gauge needs no previous scrape: its value is the measurement.
            Double value = ScrapeMath.gauge(now.series(), check.metric(), watch.service(), watch.version());
            if (value == null) {
                return Reading.couldNotMeasure("no data: " + check.metric() + " has no series for version "
                        + watch.version() + " of " + watch.service(), now.at());
            }
            Reading reading = Reading.of(value, now.at());
            return withBaseline && stable != null
                    ? reading.withBaseline(ScrapeMath.gauge(now.series(), check.metric(), watch.service(), stable))
                    : reading;
        }
        Fetch before = baselines.put(watch.deploymentId() + "/" + check.name(), now);
        if (before == null) {
            return Reading.notYet("first scrape: the baseline for the next one");
        }
        Double value = rate(check.metric(), before, now, watch.service(), watch.version());
        if (value == null) {
            return Reading.couldNotMeasure("no data: no request reached version " + watch.version() + " of "
                    + watch.service() + " between the scrapes", now.at());
        }
        Reading reading = Reading.of(value, now.at());
        // The stable version's figure from the same two fetches: measured at the same time as the canary's.
        return withBaseline && stable != null
                ? reading.withBaseline(rate(check.metric(), before, now, watch.service(), stable)) : reading;
    }

    private static Double rate(String metric, Fetch before, Fetch now, String service, String version) {
        return switch (metric) {
            case "error_rate" -> ScrapeMath.errorRate(before.series(), now.series(), service, version);
            case "success_rate" -> ScrapeMath.successRate(before.series(), now.series(), service, version);
            default -> ScrapeMath.quantile(0.95, before.series(), now.series(), service, version);
        };
    }

    @Override
    public void retainOnly(Set<String> watchedDeploymentIds) {
        latest.keySet().retainAll(watchedDeploymentIds);
        baselines.keySet().removeIf(key -> !watchedDeploymentIds.contains(key.substring(0, key.indexOf('/'))));
    }

    private Fetch fetch(WatchedDeployment watch) {
        Instant now = Instant.now();
        Fetch last = latest.get(watch.deploymentId());
        if (last != null && last.at().plus(SHARED_FETCH).isAfter(now)) {
            return last;
        }
        Fetch fetched;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(watch.metricsUrl()))
                    .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode());
            }
            fetched = new Fetch(PrometheusText.parse(response.body()), null, now);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warnf("scrape of %s for deployment %s failed: %s", watch.metricsUrl(), watch.deploymentId(),
                    e.getMessage());
            fetched = new Fetch(null, "scrape of " + watch.metricsUrl() + " failed: " + e, now);
        }
        latest.put(watch.deploymentId(), fetched);
        return fetched;
    }
}
