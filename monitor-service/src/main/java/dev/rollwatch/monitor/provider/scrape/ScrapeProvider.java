package dev.rollwatch.monitor.provider.scrape;

import dev.rollwatch.monitor.domain.CheckState;
import dev.rollwatch.monitor.domain.Watch;
import dev.rollwatch.monitor.repository.CheckStateRepository;
import dev.rollwatch.monitor.repository.WatchRepository;
import dev.rollwatch.monitor.service.SampleEvaluator;
import dev.rollwatch.platform.rest.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The {@code scrape} provider: reads each watched deployment's Prometheus text endpoint (its {@code metricsUrl})
 * at the shortest interval of its scrape checks, computes the new version's error rate, success rate and p95
 * latency from the counter and bucket increases since the previous scrape, and feeds them to the same evaluation
 * as pushed samples. A scrape that fails is an ERROR measurement for every scraped metric (could not measure),
 * never a failure. The first scrape of a watch (also after a restart) is only the baseline for the next one.
 */
@ApplicationScoped
public class ScrapeProvider {

    public static final String NAME = "scrape";
    /** The metrics this provider derives from the target protocol's series. */
    public static final Set<String> METRICS = Set.of("error_rate", "success_rate", "latency_p95");

    private static final Logger LOG = Logger.getLogger(ScrapeProvider.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final WatchRepository watches;
    private final CheckStateRepository checks;
    private final SampleEvaluator evaluator;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Map<String, Scrape> previous = new ConcurrentHashMap<>();

    public ScrapeProvider(WatchRepository watches, CheckStateRepository checks, SampleEvaluator evaluator) {
        this.watches = watches;
        this.checks = checks;
        this.evaluator = evaluator;
    }

    record Scrape(List<PrometheusText.Series> series, Instant at) {
    }

    record Target(String deploymentId, String service, String version, String metricsUrl, Duration interval,
            Set<String> metrics) {
    }

    @Scheduled(every = "${rollwatch.monitor.scrape-tick:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        List<Target> targets = QuarkusTransaction.requiringNew().call(this::targets);
        previous.keySet().retainAll(targets.stream().map(Target::deploymentId).collect(Collectors.toSet()));
        for (Target t : targets) {
            Scrape last = previous.get(t.deploymentId());
            Instant now = Instant.now();
            if (last == null || !last.at().plus(t.interval()).isAfter(now)) {
                scrape(t, last, now);
            }
        }
    }

    private List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        for (Watch w : watches.watchingWithMetricsUrl()) {
            List<CheckState> scraped = checks.forDeployment(w.deploymentId).stream()
                    .filter(c -> NAME.equals(c.provider) && METRICS.contains(c.metric)).toList();
            if (scraped.isEmpty()) {
                continue;
            }
            Duration interval = scraped.stream().map(c -> c.rule().interval()).min(Duration::compareTo)
                    .orElse(Duration.ofSeconds(5));
            targets.add(new Target(w.deploymentId, w.service, w.version, w.metricsUrl, interval,
                    scraped.stream().map(c -> c.metric).collect(Collectors.toSet())));
        }
        return targets;
    }

    private void scrape(Target t, Scrape last, Instant now) {
        List<PrometheusText.Series> series;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(t.metricsUrl()))
                    .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode());
            }
            series = PrometheusText.parse(response.body());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warnf("scrape of %s for deployment %s failed: %s", t.metricsUrl(), t.deploymentId(), e.getMessage());
            feed(t, t.metrics().stream().map(m -> new SampleEvaluator.Sample(m, null, now, t.version())).toList());
            return;
        }
        previous.put(t.deploymentId(), new Scrape(series, now));
        if (last == null) {
            return;
        }
        List<SampleEvaluator.Sample> samples = new ArrayList<>();
        for (String metric : t.metrics()) {
            Double value = switch (metric) {
                case "error_rate" -> ScrapeMath.errorRate(last.series(), series, t.service(), t.version());
                case "success_rate" -> ScrapeMath.successRate(last.series(), series, t.service(), t.version());
                default -> ScrapeMath.quantile(0.95, last.series(), series, t.service(), t.version());
            };
            samples.add(new SampleEvaluator.Sample(metric, value, now, t.version()));
        }
        feed(t, samples);
    }

    private void feed(Target t, List<SampleEvaluator.Sample> samples) {
        try {
            evaluator.evaluate(t.deploymentId(), samples);
        } catch (ProblemException e) {
            LOG.debugf("scraped measurements of deployment %s dropped: %s", t.deploymentId(), e.getMessage());
        }
    }
}
