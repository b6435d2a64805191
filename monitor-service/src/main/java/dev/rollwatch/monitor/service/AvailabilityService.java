package dev.rollwatch.monitor.service;

import dev.rollwatch.monitor.config.MonitorConfig;
import dev.rollwatch.monitor.domain.Outage;
import dev.rollwatch.monitor.domain.Watch;
import dev.rollwatch.monitor.domain.WatchStatus;
import dev.rollwatch.monitor.messaging.PartitionOwnership;
import dev.rollwatch.monitor.provider.MetricProvider;
import dev.rollwatch.monitor.provider.Reachability;
import dev.rollwatch.monitor.repository.WatchRepository;
import dev.rollwatch.platform.concurrent.DaemonThreads;
import dev.rollwatch.platform.http.BoundedHttp;
import dev.rollwatch.platform.http.OutboundUrlPolicy;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Outage detection (issue 15, item 1): reads the availability signals of every watch this instance owns and turns a
 * target that has been unreachable for {@code rollwatch.monitor.outage-detection} into one ThresholdBreached of kind
 * {@code unavailable} (P0) per outage episode, closed by a ThresholdRecovered when it answers again; while a rollback
 * is verified, into RollbackVerified UNVERIFIED. The signals ({@link Outage}): the health endpoint
 * {@code {target.url}/health?version=<measured version>} (when {@code rollwatch.monitor.health-probe} is on) and the
 * polled providers' latest read of the metrics source (the scrape provider: fetch failed, 5xx, or the version's series
 * vanished). HTTP happens outside any transaction; each watch's judgement in its own short one.
 */
@ApplicationScoped
public class AvailabilityService {

    private static final Logger LOG = Logger.getLogger(AvailabilityService.class);

    private final WatchRepository watches;
    private final EpisodeEvents episodes;
    private final Verifications verifications;
    private final PartitionOwnership ownership;
    private final MonitorConfig config;
    private final Clock clock;
    private final List<MetricProvider> providers;
    private final HttpClient http;
    private final OutboundUrlPolicy policy;
    private final ExecutorService probes;

    public AvailabilityService(WatchRepository watches, EpisodeEvents episodes, Verifications verifications,
            PartitionOwnership ownership, MonitorConfig config, Clock clock, Instance<MetricProvider> providers,
            OutboundUrlPolicy policy) {
        this.watches = watches;
        this.episodes = episodes;
        this.verifications = verifications;
        this.ownership = ownership;
        this.config = config;
        this.clock = clock;
        this.providers = providers.stream().toList();
        this.http = BoundedHttp.client(config.healthTimeout());
        this.policy = policy;
        this.probes = Executors.newFixedThreadPool(Math.max(1, config.pollWorkers()),
                DaemonThreads.numbered("monitor-probe"));
    }

    void stop(@Observes ShutdownEvent stopping) {
        probes.shutdownNow();
    }

    /** What was read of one watch's target, outside any transaction. */
    record Signals(String deploymentId, Boolean healthUp, String healthReason, Boolean metricsUp,
            String metricsReason) {
    }

    @Scheduled(every = "${rollwatch.monitor.availability-interval:5s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        List<Watch> watching = QuarkusTransaction.requiringNew().call(() -> watches.withSignals(config.healthProbe())
                .stream().filter(w -> ownership.owns(w.deploymentId)).toList());
        // The probes run in parallel (each bounded by the health timeout): a slow target delays no other watch.
        List<CompletableFuture<Signals>> reads = new ArrayList<>();
        for (Watch w : watching) {
            reads.add(CompletableFuture.supplyAsync(() -> read(w), probes));
        }
        for (int i = 0; i < watching.size(); i++) {
            Watch w = watching.get(i);
            Signals signals;
            try {
                signals = reads.get(i).join();
            } catch (RuntimeException e) {
                LOG.warnf("availability of deployment %s not read: %s", w.deploymentId, e.toString());
                continue;
            }
            if (!Boolean.FALSE.equals(signals.healthUp()) && !Boolean.FALSE.equals(signals.metricsUp())
                    && w.healthDownSince == null && w.metricsDownSince == null && !w.outageOpen) {
                continue; // everything answers, as before: nothing to record
            }
            try {
                QuarkusTransaction.requiringNew().run(() -> judge(signals, now()));
            } catch (RuntimeException e) {
                LOG.warnf("availability of deployment %s not judged: %s", w.deploymentId, e.toString());
            }
        }
    }

    private Signals read(Watch w) {
        Boolean healthUp = null;
        String healthReason = null;
        if (config.healthProbe() && w.targetUrl != null) {
            String version = w.measuredVersion();
            String url = w.targetUrl.replaceAll("/+$", "") + "/health?version="
                    + URLEncoder.encode(version, StandardCharsets.UTF_8);
            String where = BoundedHttp.where(url);
            int status;
            try {
                // Only the status counts: the body is not read, and the whole call has one deadline. The target URL
                // goes through the outbound policy for the deployment's environment, pinned to the vetted address.
                status = BoundedHttp.send(http, HttpRequest.newBuilder(URI.create(url)).timeout(config.healthTimeout())
                        .GET().build(), config.healthTimeout(), 0, policy, w.environment).status();
                healthReason = "GET " + where + " answered HTTP " + status;
            } catch (OutboundUrlPolicy.RefusedDestination e) {
                // Never called: no signal (a refused URL is a misconfiguration, not a target that is down).
                LOG.warnf("health probe of %s for deployment %s refused by the outbound policy: %s", where,
                        w.deploymentId, e.getMessage());
                return readMetrics(w, null, null);
            } catch (BoundedHttp.OutboundException e) {
                status = 0;
                healthReason = "GET " + where + " failed: " + e.getMessage();
            } catch (IllegalArgumentException e) {
                status = 0;
                healthReason = "GET " + where + " failed: invalid URL";
            }
            healthUp = Outage.up(status);
        }
        return readMetrics(w, healthUp, healthReason);
    }

    private Signals readMetrics(Watch w, Boolean healthUp, String healthReason) {
        Boolean metricsUp = null;
        String metricsReason = null;
        for (MetricProvider p : providers) {
            Reachability r = p.reachability(w.deploymentId);
            if (r != null) {
                metricsUp = metricsUp == null ? r.up() : metricsUp && r.up();
                if (!r.up()) {
                    metricsReason = r.reason();
                }
            }
        }
        return new Signals(w.deploymentId, healthUp, healthReason, metricsUp, metricsReason);
    }

    /** Applies what was read to the locked watch and announces an outage opening or closing. */
    void judge(Signals signals, Instant now) {
        Watch w = watches.lock(signals.deploymentId()).orElse(null);
        if (w == null || !w.status.isWatching()) {
            return;
        }
        Outage.State s = w.outage();
        // A signal with nothing to say (not probed, 404, no read yet) counts as answering: no data is never down.
        s = Outage.report(s, Outage.Signal.HEALTH, !Boolean.FALSE.equals(signals.healthUp()), now);
        s = Outage.report(s, Outage.Signal.METRICS, !Boolean.FALSE.equals(signals.metricsUp()), now);
        w.healthReason = Boolean.FALSE.equals(signals.healthUp()) ? truncate(signals.healthReason()) : null;
        w.metricsReason = Boolean.FALSE.equals(signals.metricsUp()) ? truncate(signals.metricsReason()) : null;
        Duration window = config.outageDetection();
        Outage.Decision decision = Outage.decide(s, now, window);
        String reason = w.healthReason != null ? w.healthReason : w.metricsReason;
        switch (decision) {
            case OPEN -> {
                s = new Outage.State(s.healthDownSince(), s.metricsDownSince(), true);
                if (w.status == WatchStatus.VERIFYING) {
                    w.outage(s);
                    verifications.unverified(w, EpisodeEvents.AVAILABILITY, "the restored version "
                            + w.measuredVersion() + " was unreachable for " + s.secondsDown(now) + "s (outage window "
                            + window.toSeconds() + "s): " + reason, now);
                    return;
                }
                w.outageEpisodes++;
                w.outage(s);
                episodes.unavailable(w, s.secondsDown(now), window, reason, now);
            }
            case CLOSE -> {
                w.outage(new Outage.State(null, null, false));
                if (w.status != WatchStatus.VERIFYING) {
                    episodes.available(w, now);
                }
            }
            case NONE -> w.outage(s);
        }
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
