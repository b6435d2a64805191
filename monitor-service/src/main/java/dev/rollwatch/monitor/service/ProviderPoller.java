package dev.rollwatch.monitor.service;

import dev.rollwatch.monitor.config.MonitorConfig;
import dev.rollwatch.monitor.domain.CheckRule;
import dev.rollwatch.monitor.domain.Watch;
import dev.rollwatch.monitor.messaging.PartitionOwnership;
import dev.rollwatch.monitor.provider.MetricProvider;
import dev.rollwatch.monitor.provider.Reading;
import dev.rollwatch.monitor.provider.WatchedDeployment;
import dev.rollwatch.monitor.repository.CheckStateRepository;
import dev.rollwatch.monitor.repository.WatchRepository;
import dev.rollwatch.monitor.service.SampleEvaluator.CheckReading;
import dev.rollwatch.platform.concurrent.DaemonThreads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Asks the polled providers ({@code scrape}, {@code prometheus}) for every check that is due — each at its own
 * interval — of the watches this instance owns by Kafka partition ({@link PartitionOwnership}), and hands each
 * reading to the one evaluation path. The provider calls happen outside any database
 * transaction; a deployment's readings of one round are then recorded in one short transaction
 * ({@link SampleEvaluator#measured(String, String, List)}): one watch lock and one series batch per deployment and
 * round instead of one per check (issue 16: 200 deployments' criteria must be measured inside their windows).
 * Should that transaction fail, each reading is recorded on its own, so that one bad reading loses only itself.
 * <p>
 * The tick only finds what is due; the measuring runs on {@code poll-workers} threads, one task per deployment (its
 * checks in turn, so they share one scrape, then their recording), and a deployment whose previous task is still
 * running is skipped until it ends: a slow metrics source delays only its own deployment's checks, never another
 * watch's verdict.
 * <p>
 * How well the workers keep up is on {@code /q/metrics}: {@code rollwatch_monitor_poll_tick_seconds} (finding what
 * is due), {@code rollwatch_monitor_poll_wait_seconds} (a round handed to the workers → begun),
 * {@code rollwatch_monitor_poll_round_seconds} (begun → recorded) and {@code rollwatch_monitor_poll_skipped_total}
 * (deployments due whose previous round was still queued or running, so asked later than their interval).
 */
@ApplicationScoped
public class ProviderPoller {

    private static final Logger LOG = Logger.getLogger(ProviderPoller.class);

    private final Map<String, MetricProvider> polled;
    private final WatchRepository watches;
    private final CheckStateRepository checks;
    private final SampleEvaluator evaluator;
    private final PartitionOwnership ownership;
    /** When each check (deployment id / check name) was last asked. */
    private final Map<String, Instant> lastAsked = new ConcurrentHashMap<>();
    /** The deployments whose checks are being measured now. */
    private final Set<String> measuring = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers;
    private final Timer ticks;
    private final Timer waited;
    private final Timer rounds;
    private final Counter skipped;

    public ProviderPoller(Instance<MetricProvider> providers, WatchRepository watches, CheckStateRepository checks,
            SampleEvaluator evaluator, PartitionOwnership ownership, MonitorConfig config, MeterRegistry registry) {
        this.polled = providers.stream().filter(MetricProvider::polled)
                .collect(Collectors.toUnmodifiableMap(MetricProvider::name, Function.identity()));
        this.watches = watches;
        this.checks = checks;
        this.evaluator = evaluator;
        this.ownership = ownership;
        this.workers = Executors.newFixedThreadPool(Math.max(1, config.pollWorkers()),
                DaemonThreads.numbered("monitor-poll"));
        this.ticks = Timer.builder("rollwatch.monitor.poll.tick")
                .description("a scrape tick: finding the checks due and handing their rounds to the poll workers")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.waited = Timer.builder("rollwatch.monitor.poll.wait")
                .description("a deployment's poll round handed to the poll workers → begun")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.rounds = Timer.builder("rollwatch.monitor.poll.round")
                .description("a deployment's poll round begun → its readings recorded")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.skipped = Counter.builder("rollwatch.monitor.poll.skipped")
                .description("deployments due whose previous poll round was still queued or running")
                .register(registry);
    }

    void stop(@Observes ShutdownEvent stopping) {
        workers.shutdownNow();
    }

    /** A check due to be asked, detached from the persistence context. */
    record Due(MetricProvider provider, WatchedDeployment watch, CheckRule rule) {
    }

    @Scheduled(every = "${rollwatch.monitor.scrape-tick:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        long started = System.nanoTime();
        try {
            handOut();
        } finally {
            ticks.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private void handOut() {
        Instant now = Instant.now();
        Set<String> watched = new HashSet<>();
        List<Due> due = QuarkusTransaction.requiringNew().call(() -> due(now, watched));
        lastAsked.keySet().removeIf(key -> !watched.contains(key.substring(0, key.indexOf('/'))));
        polled.values().forEach(p -> p.retainOnly(watched));
        Map<String, List<Due>> byDeployment = new LinkedHashMap<>();
        due.forEach(d -> byDeployment.computeIfAbsent(d.watch().deploymentId(), k -> new ArrayList<>()).add(d));
        byDeployment.forEach((deploymentId, checksDue) -> {
            if (!measuring.add(deploymentId)) {
                skipped.increment();
                return; // its previous round is still measuring (a slow source): asked again once it is done
            }
            checksDue.forEach(d -> lastAsked.put(key(deploymentId, d.rule().name()), now));
            long handed = System.nanoTime();
            try {
                workers.execute(() -> {
                    long begun = System.nanoTime();
                    waited.record(begun - handed, TimeUnit.NANOSECONDS);
                    try {
                        measureAndRecord(deploymentId, checksDue);
                    } finally {
                        measuring.remove(deploymentId);
                        rounds.record(System.nanoTime() - begun, TimeUnit.NANOSECONDS);
                    }
                });
            } catch (RejectedExecutionException e) {
                measuring.remove(deploymentId); // shutting down
            }
        });
    }

    /** Measures a deployment's due checks in turn, then records the round's readings together. */
    private void measureAndRecord(String deploymentId, List<Due> checksDue) {
        // One deployment's checks share one detached watch, so one version.
        String version = checksDue.get(0).watch().version();
        List<CheckReading> round = checksDue.stream().map(d -> new CheckReading(d.rule().name(), measure(d)))
                .toList();
        try {
            evaluator.measured(deploymentId, version, round);
            return;
        } catch (RuntimeException e) {
            if (round.size() == 1) {
                notRecorded(deploymentId, round.get(0), e);
                return;
            }
            LOG.infof("the %d readings of deployment %s could not be recorded together (%s): each on its own",
                    round.size(), deploymentId, e.toString());
        }
        for (CheckReading reading : round) {
            try {
                evaluator.measured(deploymentId, version, List.of(reading));
            } catch (RuntimeException e) {
                notRecorded(deploymentId, reading, e);
            }
        }
    }

    private static void notRecorded(String deploymentId, CheckReading reading, RuntimeException e) {
        LOG.warnf("reading of check %s of deployment %s not recorded: %s", reading.check(), deploymentId,
                e.toString());
    }

    private List<Due> due(Instant now, Set<String> watched) {
        // Only the watches of this instance's partitions: another instance polls the others.
        List<CheckStateRepository.PolledCheck> states = checks.polledOfWatchingDeployments(polled.keySet()).stream()
                .filter(c -> ownership.owns(c.deploymentId())).toList();
        if (states.isEmpty()) {
            return List.of();
        }
        Map<String, Watch> watchesById = watches.watching(states.stream()
                .map(CheckStateRepository.PolledCheck::deploymentId).collect(Collectors.toSet())).stream()
                .collect(Collectors.toMap(w -> w.deploymentId, Function.identity()));
        Map<String, WatchedDeployment> byId = watchesById.values().stream()
                .collect(Collectors.toMap(w -> w.deploymentId, WatchedDeployment::of));
        watched.addAll(byId.keySet());
        List<Due> due = new ArrayList<>();
        for (CheckStateRepository.PolledCheck c : states) {
            WatchedDeployment w = byId.get(c.deploymentId());
            if (w != null && !SampleEvaluator.judged(watchesById.get(c.deploymentId()), c.stepIndex())) {
                continue; // a step's criterion outside its step
            }
            CheckRule rule = c.rule();
            MetricProvider provider = polled.get(rule.provider());
            if (w == null || !provider.covers(rule, w)) {
                continue;
            }
            Instant last = lastAsked.get(key(w.deploymentId(), rule.name()));
            Duration interval = rule.interval() == null ? CheckRule.DEFAULT_INTERVAL
                    : rule.interval();
            if (last == null || !last.plus(interval).isAfter(now)) {
                due.add(new Due(provider, w, rule));
            }
        }
        return due;
    }

    private static Reading measure(Due d) {
        try {
            return d.provider().measure(d.rule(), d.watch());
        } catch (RuntimeException e) {
            // A provider must not throw; if one does, that is still "could not measure", never a failure.
            return Reading.couldNotMeasure(d.provider().name() + " provider failed: " + e, Instant.now());
        }
    }

    private static String key(String deploymentId, String check) {
        return deploymentId + "/" + check;
    }
}
