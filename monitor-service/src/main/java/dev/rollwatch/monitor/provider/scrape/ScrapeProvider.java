package dev.rollwatch.monitor.provider.scrape;

import dev.rollwatch.monitor.domain.CheckRule;
import dev.rollwatch.monitor.domain.Outage;
import dev.rollwatch.monitor.provider.Reachability;
import dev.rollwatch.monitor.provider.MetricProvider;
import dev.rollwatch.monitor.provider.Reading;
import dev.rollwatch.monitor.provider.WatchedDeployment;
import dev.rollwatch.platform.http.BoundedHttp;
import dev.rollwatch.platform.http.OutboundUrlPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
 * figure from the same fetches. A scrape that fails is "could not measure" (ERROR), never a failure; it also
 * tells the outage detection that the metrics source is unreachable ({@link #reachability}): a refused connection, a
 * timeout, an HTTP 5xx, or a good scrape from which the watched version's series vanished after it had reported. A
 * metric a good scrape does not carry is no data ({@link Reading#noData}), never an outage. The
 * first scrape of a check (also after a restart: the previous scrape is kept in memory) is only the baseline for
 * the next one. Checks of one deployment measured together share one HTTP fetch, and a fetch keeps only the watched
 * service's series (a page may carry many services).
 * <p>
 * A fetch is bounded ({@link BoundedHttp}): one deadline ({@value #TIMEOUT_MS} ms) for headers and body and at most
 * {@value #MAX_BODY} bytes; a slower or longer answer is an unreachable scrape. A failure names the endpoint (scheme,
 * host, port, path) and the status or what went wrong in fixed words, never the remote's text.
 * <p>
 * A fetch goes through the platform's {@link OutboundUrlPolicy} for the deployment's environment and connects to the
 * address the policy vetted (pinned: no DNS rebinding between the check and the connection). A metrics URL the
 * policy refuses (a private, loopback, link-local or metadata address not allow-listed) is never called: the check
 * is ERROR with the fixed reason {@value #REFUSED} (the policy's own words, which would tell a deployer what an
 * internal name resolves to, go to the log only); it is a misconfiguration, not an outage.
 */
@ApplicationScoped
public class ScrapeProvider implements MetricProvider {

    public static final String NAME = "scrape";
    /** The gauges this provider reads as they are, per version. */
    public static final Set<String> GAUGES = Set.of("queue_size", "process_resident_memory_bytes",
            "memory_utilization", "cpu_utilization");
    /** The metrics this provider derives from the target protocol's series. */
    public static final Set<String> METRICS = Set.of("error_rate", "success_rate", "latency_p95", "latency_p99",
            "queue_size", "process_resident_memory_bytes", "memory_utilization", "cpu_utilization");

    private static final Logger LOG = Logger.getLogger(ScrapeProvider.class);
    static final long TIMEOUT_MS = 2000;
    private static final Duration TIMEOUT = Duration.ofMillis(TIMEOUT_MS);
    /** The longest metrics page read (8 MiB). */
    static final int MAX_BODY = 8 << 20;
    /** A fetch this recent is reused by the deployment's other checks measured in the same round. */
    private static final Duration SHARED_FETCH = Duration.ofMillis(250);

    /** The reason of a scrape the outbound policy refused, in fixed words. */
    static final String REFUSED = "the metrics URL is not an allowed destination (outbound policy: private, loopback, "
            + "link-local and metadata addresses are refused unless allow-listed)";

    private final HttpClient http = BoundedHttp.client(TIMEOUT);
    private final OutboundUrlPolicy policy;
    /** The latest fetch of each deployment's endpoint. */
    private final Map<String, Fetch> latest = new ConcurrentHashMap<>();
    /** Each check's previous successful scrape, keyed by deployment id and check name. */
    private final Map<String, Fetch> baselines = new ConcurrentHashMap<>();

    /** The deployments (id / version) whose version has been seen in a good scrape: vanishing then is an outage. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    public ScrapeProvider(OutboundUrlPolicy policy) {
        this.policy = policy;
    }

    /**
     * One read of an endpoint: the series, or why there are none; {@code unreachable} when the read failed (refused,
     * timed out, 5xx) or the watched version's series vanished (then {@code series} are kept and {@code error} null).
     */
    record Fetch(List<PrometheusText.Series> series, String error, Instant at, boolean unreachable, String why) {

        Fetch(List<PrometheusText.Series> series, String error, Instant at) {
            this(series, error, at, false, null);
        }
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
                return Reading.noData("no data: " + check.metric() + " has no series for version "
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
            return Reading.noData("no data: no request reached version " + watch.version() + " of "
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
            case "latency_p99" -> ScrapeMath.quantile(0.99, before.series(), now.series(), service, version);
            default -> ScrapeMath.quantile(0.95, before.series(), now.series(), service, version);
        };
    }

    @Override
    public Reachability reachability(String deploymentId) {
        Fetch last = latest.get(deploymentId);
        if (last == null) {
            return null;
        }
        return new Reachability(!last.unreachable(), last.unreachable() ? last.why() : null, last.at());
    }

    @Override
    public void retainOnly(Set<String> watchedDeploymentIds) {
        latest.keySet().retainAll(watchedDeploymentIds);
        reported.removeIf(key -> !watchedDeploymentIds.contains(key.substring(0, key.indexOf('/'))));
        baselines.keySet().removeIf(key -> !watchedDeploymentIds.contains(key.substring(0, key.indexOf('/'))));
    }

    /**
     * A good scrape: marks the watched version as reporting when any series of the service carries it, or as
     * unreachable when it had reported before and carries none now (the version stopped answering).
     */
    private Fetch vanished(WatchedDeployment watch, Fetch good) {
        String key = watch.deploymentId() + "/" + watch.version();
        boolean present = good.series().stream().anyMatch(s -> watch.service().equals(s.label("service"))
                && watch.version().equals(s.label("version")));
        if (present) {
            reported.add(key);
            return good;
        }
        if (reported.contains(key)) {
            return new Fetch(good.series(), null, good.at(), true, "version " + watch.version() + " of "
                    + watch.service() + " stopped reporting: its series vanished from "
                    + BoundedHttp.where(watch.metricsUrl()));
        }
        return good;
    }

    private Fetch fetch(WatchedDeployment watch) {
        Instant now = Instant.now();
        Fetch last = latest.get(watch.deploymentId());
        if (last != null && last.at().plus(SHARED_FETCH).isAfter(now)) {
            return last;
        }
        Fetch fetched;
        String where = BoundedHttp.where(watch.metricsUrl());
        try {
            BoundedHttp.Response response = BoundedHttp.send(http, HttpRequest.newBuilder(URI.create(
                    watch.metricsUrl())).timeout(TIMEOUT).GET().build(), TIMEOUT, MAX_BODY, policy,
                    watch.environment());
            if (response.status() != 200) {
                // 5xx: the source is down (an outage signal); 404 and the like: misconfigured, not down.
                String error = "scrape of " + where + " failed: HTTP " + response.status();
                LOG.warnf("scrape of %s for deployment %s failed: HTTP %d", where, watch.deploymentId(),
                        response.status());
                fetched = new Fetch(null, error, now, Boolean.FALSE.equals(Outage.up(response.status())), error);
            } else {
                // Only the watched service's series are kept: every figure (and the vanishing check) reads those
                // alone, and a target exposing many services on one page (as demo-target does) would otherwise
                // have every watch hold every service's series, twice or more (latest and the checks' baselines).
                String service = watch.service();
                fetched = vanished(watch, new Fetch(PrometheusText.parse(response.text(),
                        s -> service.equals(s.label("service"))), null, now));
            }
        } catch (OutboundUrlPolicy.RefusedDestination e) {
            // Never called: a misconfigured URL, not a target that is down (no outage signal).
            LOG.warnf("scrape of %s for deployment %s (%s) refused by the outbound policy: %s", where,
                    watch.deploymentId(), watch.environment(), e.getMessage());
            String error = "scrape of " + where + " refused: " + REFUSED;
            fetched = new Fetch(null, error, now, false, null);
        } catch (BoundedHttp.OutboundException e) {
            LOG.warnf("scrape of %s for deployment %s failed: %s", where, watch.deploymentId(), e.getMessage());
            String error = "scrape of " + where + " failed: " + e.getMessage();
            fetched = new Fetch(null, error, now, true, error);
        } catch (RuntimeException e) {
            // An invalid URL or a page that is not Prometheus text (the parser's message quotes the page: log only).
            LOG.warnf("scrape of %s for deployment %s failed: %s", where, watch.deploymentId(), e.toString());
            String error = "scrape of " + where + " failed: " + (e instanceof IllegalArgumentException
                    ? "invalid URL, or the answer is not Prometheus text" : "unreadable answer");
            fetched = new Fetch(null, error, now, true, error);
        }
        latest.put(watch.deploymentId(), fetched);
        return fetched;
    }
}
