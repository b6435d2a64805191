package dev.rollwatch.monitor.provider.scrape;

import dev.rollwatch.monitor.config.MonitorConfig;
import dev.rollwatch.monitor.domain.CheckRule;
import dev.rollwatch.monitor.domain.Outage;
import dev.rollwatch.monitor.provider.Reachability;
import dev.rollwatch.monitor.provider.MetricProvider;
import dev.rollwatch.monitor.provider.Reading;
import dev.rollwatch.monitor.provider.WatchedDeployment;
import dev.rollwatch.platform.http.BoundedHttp;
import dev.rollwatch.platform.http.OutboundUrlPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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
 * the next one — unless the deployment's other checks read the page before, between half an interval and two
 * intervals earlier: then a check that starts being judged later (a step's criterion) measures from that read at its
 * first poll ({@link #earlierRead}). Checks of one deployment measured together share one HTTP fetch, and a fetch
 * keeps only the watched service's series (a page may carry many services).
 * <p>
 * <b>One read of a page for every watch that reads it.</b> Every watch whose metrics URL (in the same environment)
 * is the same shares one read of that page: a page read less than {@value #PAGE_REUSE_MS} ms ago is reused, and
 * while a read is in flight the others take the read before it if that is under {@value #STALE_PAGE_MS} ms old,
 * else wait for it, instead of sending their own. A rate is measured over at least half the check's interval
 * ({@link #leastSpan}), however recent the page a round gets. The page is parsed once and its
 * series grouped by {@code service}; each watch keeps its own service's. A target that exposes many services on one
 * page (a gateway, a federation endpoint, demo-target) is read about twice a second however many deployments watch
 * it, instead of once per deployment per interval (issue 16, target 4: 200 deployments on demo-target's page took
 * 4 poll workers past the 2 s scrape deadline, and 174 of 200 analyses ended with no measurement).
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
    static final long PAGE_REUSE_MS = 500;
    /** A page read this recently is reused by any watch reading the same URL. */
    private static final Duration PAGE_REUSE = Duration.ofMillis(PAGE_REUSE_MS);
    static final long STALE_PAGE_MS = 2000;
    /**
     * While a page is being read again, a watch gets the read before it instead of waiting, if that one is younger
     * than this: on a loaded machine a read of a large page takes hundreds of milliseconds, and every poll worker
     * waiting for it is a deployment not measured meanwhile (issue 16, target 4).
     */
    private static final Duration STALE_PAGE = Duration.ofMillis(STALE_PAGE_MS);

    /** The reason of a scrape the outbound policy refused, in fixed words. */
    static final String REFUSED = "the metrics URL is not an allowed destination (outbound policy: private, loopback, "
            + "link-local and metadata addresses are refused unless allow-listed)";

    private final HttpClient http = BoundedHttp.client(TIMEOUT);
    private final OutboundUrlPolicy policy;
    private final Clock clock;
    /** The latest read (or the read in flight) of each page, by URL and environment. */
    private final Map<PageKey, CompletableFuture<Page>> pages = new ConcurrentHashMap<>();
    /** The latest completed read of each page: what a watch gets while the next read is in flight. */
    private final Map<PageKey, Page> lastRead = new ConcurrentHashMap<>();
    /** The latest fetch of each deployment's endpoint. */
    private final Map<String, Fetch> latest = new ConcurrentHashMap<>();
    /** The good fetch of each deployment's endpoint before its latest: where a new check's first rate may start. */
    private final Map<String, Fetch> earlier = new ConcurrentHashMap<>();
    /** Each check's previous successful scrape, keyed by deployment id and check name. */
    private final Map<String, Fetch> baselines = new ConcurrentHashMap<>();

    /** The deployments (id / version) whose version has been seen in a good scrape: vanishing then is an outage. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    /**
     * The fewest requests of the watched version an error or success rate is measured over; with fewer since the previous measurement the check is NOT_YET and waits for more
     * ({@code rollwatch.monitor.scrape-min-requests}).
     */
    private final int minRequests;
    /** The shares of requests that {@link #minRequests} holds back. */
    private static final Set<String> RATES = Set.of("error_rate", "success_rate");

    /** One read of a shared page: the HTTP exchange and the parse ({@code rollwatch_monitor_scrape_page_seconds}). */
    private final Timer pageReads;

    @Inject
    public ScrapeProvider(OutboundUrlPolicy policy, Clock clock, MeterRegistry registry, MonitorConfig config) {
        this(policy, clock, registry, config.scrapeMinRequests());
    }

    ScrapeProvider(OutboundUrlPolicy policy, Clock clock, MeterRegistry registry, int minRequests) {
        if (minRequests < 1) {
            throw new IllegalArgumentException("rollwatch.monitor.scrape-min-requests must be at least 1, was "
                    + minRequests);
        }
        this.policy = policy;
        this.clock = clock;
        this.minRequests = minRequests;
        this.pageReads = Timer.builder("rollwatch.monitor.scrape.page")
                .description("one read of a metrics page shared by the watches that read it: request, answer, parse")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /** A metrics page as one watch asks for it: the URL, and the environment whose outbound policy applies. */
    record PageKey(String url, String environment) {
    }

    /**
     * One read of a page: its series by {@code service} label, or the error (in the fixed words a check shows) with
     * whether it says the source is down ({@code unreachable}, the outage signal) and why.
     */
    record Page(Map<String, List<PrometheusText.Series>> byService, String error, boolean unreachable, String why,
            Instant at) {
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
        String baselineKey = watch.deploymentId() + "/" + check.name();
        Fetch before = baselines.get(baselineKey);
        if (before != null && Duration.between(before.at(), now.at()).compareTo(leastSpan(check)) < 0) {
            // The same page again (asked within its reuse), or one read so soon after the previous measurement's
            // that a rate over it would count a handful of requests: the previous one stays the baseline.
            return Reading.notYet("no scrape at least half an interval newer than the previous measurement");
        }
        if (before == null) {
            before = earlierRead(watch.deploymentId(), now, check);
        }
        if (before == null) {
            baselines.put(baselineKey, now);
            return Reading.notYet("first scrape: the baseline for the next one");
        }
        double requests = RATES.contains(check.metric())
                ? ScrapeMath.requests(before.series(), now.series(), watch.service(), watch.version()) : 0;
        if (requests > 0 && requests < minRequests) {
            // Too few requests for a rate: one failed request in 31 is 3.2 %, over a 3 % limit, for a version failing
            // one in a thousand. The baseline stays where it is and the requests add up until there are enough. (A
            // latency quantile is not held back: one slow request among a few dozen does not move it past a limit.)
            baselines.put(baselineKey, before);
            return Reading.notYet("only " + (long) requests + " requests reached version " + watch.version()
                    + " since the previous measurement; a rate is measured over at least " + minRequests);
        }
        baselines.put(baselineKey, now);
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

    /**
     * The shortest span a rate is measured over: half the check's interval (and never zero). Rounds come once per
     * interval, but the page a round gets may have been read earlier (reused, or the read before one in flight), and a
     * rate over a fraction of a second is noise: one failed request in a few dozen breaks a 3 % limit.
     */
    static Duration leastSpan(CheckRule check) {
        Duration interval = check.interval() == null ? CheckRule.DEFAULT_INTERVAL : check.interval();
        return interval.dividedBy(2).compareTo(Duration.ofNanos(1)) < 0 ? Duration.ofNanos(1) : interval.dividedBy(2);
    }

    /**
     * Where a check's first rate starts when it has no scrape of its own yet — a step's criterion, judged only from
     * its step on, while the deployment's other checks have been reading the same page all along: the deployment's
     * good read before {@code now}, if it is at least {@linkplain #leastSpan half the check's interval} and at most
     * two intervals older. The criterion's first poll in its step is then a measurement over about the span every
     * later one covers, instead of only a baseline — which under a burst cost a step that opened late its only
     * measurement inside its window (issue 16, target 4). Nearer (a rate over a few dozen requests is noise), older,
     * or none: the first scrape is only the baseline, as before.
     */
    private Fetch earlierRead(String deploymentId, Fetch now, CheckRule check) {
        Fetch before = earlier.get(deploymentId);
        if (before == null || before.error() != null || before.series() == null) {
            return null;
        }
        Duration span = Duration.between(before.at(), now.at());
        Duration interval = check.interval() == null ? CheckRule.DEFAULT_INTERVAL : check.interval();
        return span.compareTo(leastSpan(check)) < 0 || span.compareTo(interval.multipliedBy(2)) > 0 ? null : before;
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
        Instant now = clock.instant();
        pages.values().removeIf(read -> read.isDone() && !fresh(read.join(), now)); // read again when asked
        lastRead.values().removeIf(read -> !read.at().plus(STALE_PAGE).isAfter(now));
        latest.keySet().retainAll(watchedDeploymentIds);
        earlier.keySet().retainAll(watchedDeploymentIds);
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
        Instant now = clock.instant();
        Fetch last = latest.get(watch.deploymentId());
        if (last != null && last.at().plus(SHARED_FETCH).isAfter(now)) {
            return last;
        }
        Page page = page(new PageKey(watch.metricsUrl(), watch.environment()), watch.deploymentId());
        Fetch fetched = page.error() != null
                ? new Fetch(null, page.error(), page.at(), page.unreachable(), page.why())
                // Only the watched service's series are kept: every figure (and the vanishing check) reads those
                // alone, and a target exposing many services on one page (as demo-target does) would otherwise
                // have every watch hold every service's series, twice or more (latest and the checks' baselines).
                : vanished(watch, new Fetch(page.byService().getOrDefault(watch.service(), List.of()), null,
                        page.at()));
        if (last != null && last.error() == null && last.series() != null && fetched.at().isAfter(last.at())) {
            earlier.put(watch.deploymentId(), last);
        }
        latest.put(watch.deploymentId(), fetched);
        return fetched;
    }

    private boolean fresh(Page page, Instant now) {
        return page.at().plus(PAGE_REUSE).isAfter(now);
    }

    /**
     * The page at {@code key}: the read in flight (waited for), a read younger than {@link #PAGE_REUSE}, or a new
     * read made by this caller while the others wait for it.
     */
    Page page(PageKey key, String askedFor) {
        for (;;) {
            CompletableFuture<Page> current = pages.get(key);
            if (current != null && !current.isDone()) {
                Page previous = lastRead.get(key);
                if (previous != null && previous.at().plus(STALE_PAGE).isAfter(clock.instant())) {
                    return previous; // not worth waiting for: the read in flight is only a little newer
                }
                return current.join();
            }
            if (current != null && fresh(current.join(), clock.instant())) {
                return current.join();
            }
            CompletableFuture<Page> mine = new CompletableFuture<>();
            boolean reading = current == null ? pages.putIfAbsent(key, mine) == null : pages.replace(key, current, mine);
            if (reading) {
                Page read = null;
                long started = System.nanoTime();
                try {
                    read = read(key, askedFor);
                    return read;
                } finally {
                    pageReads.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    if (read != null) {
                        lastRead.put(key, read);
                        mine.complete(read);
                    } else { // an Error on the way: nobody may wait for this read forever
                        pages.remove(key, mine);
                        mine.complete(new Page(null, "scrape of " + BoundedHttp.where(key.url())
                                + " failed: unreadable answer", true, null, clock.instant()));
                    }
                }
            }
        }
    }

    private Page read(PageKey key, String askedFor) {
        Instant now = clock.instant();
        String where = BoundedHttp.where(key.url());
        try {
            BoundedHttp.Response response = BoundedHttp.send(http, HttpRequest.newBuilder(URI.create(key.url()))
                    .timeout(TIMEOUT).GET().build(), TIMEOUT, MAX_BODY, policy, key.environment());
            if (response.status() != 200) {
                // 5xx: the source is down (an outage signal); 404 and the like: misconfigured, not down.
                String error = "scrape of " + where + " failed: HTTP " + response.status();
                LOG.warnf("scrape of %s (for deployment %s and any other reading it) failed: HTTP %d", where,
                        askedFor, response.status());
                return new Page(null, error, Boolean.FALSE.equals(Outage.up(response.status())), error, now);
            }
            Map<String, List<PrometheusText.Series>> byService = new HashMap<>();
            for (PrometheusText.Series series : PrometheusText.parse(response.text())) {
                String service = series.label("service");
                if (service != null) {
                    byService.computeIfAbsent(service, k -> new ArrayList<>()).add(series);
                }
            }
            return new Page(byService, null, false, null, now);
        } catch (OutboundUrlPolicy.RefusedDestination e) {
            // Never called: a misconfigured URL, not a target that is down (no outage signal).
            LOG.warnf("scrape of %s for deployment %s (%s) refused by the outbound policy: %s", where, askedFor,
                    key.environment(), e.getMessage());
            return new Page(null, "scrape of " + where + " refused: " + REFUSED, false, null, now);
        } catch (BoundedHttp.OutboundException e) {
            LOG.warnf("scrape of %s (for deployment %s and any other reading it) failed: %s", where, askedFor,
                    e.getMessage());
            String error = "scrape of " + where + " failed: " + e.getMessage();
            return new Page(null, error, true, error, now);
        } catch (RuntimeException e) {
            // An invalid URL or a page that is not Prometheus text (the parser's message quotes the page: log only).
            LOG.warnf("scrape of %s (for deployment %s and any other reading it) failed: %s", where, askedFor,
                    e.toString());
            String error = "scrape of " + where + " failed: " + (e instanceof IllegalArgumentException
                    ? "invalid URL, or the answer is not Prometheus text" : "unreadable answer");
            return new Page(null, error, true, error, now);
        }
    }
}
