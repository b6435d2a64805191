package dev.rollwatch.demotarget.service;

import dev.rollwatch.demotarget.domain.Behaviour;
import dev.rollwatch.demotarget.domain.LatencyHistogram;
import dev.rollwatch.demotarget.domain.ServiceMetrics;
import dev.rollwatch.demotarget.domain.VersionMetrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * Generates the simulated service's requests: on every tick, each known service receives its share of
 * {@code requestsPerSecond}, routed request by request to the canary with probability weight/100, each answered with
 * the latency and the success or failure its version's behaviour draws. Pure and single-lock: the ticker, the REST
 * layer and the tests all call it directly, and a seeded random source makes it deterministic.
 */
public final class TrafficSimulator {

    /** Histogram bucket upper bounds in seconds, Prometheus' conventional defaults. */
    public static final List<Double> LATENCY_BUCKETS =
            List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);
    static final int OK = 200;
    static final int SERVER_ERROR = 500;
    private static final double BYTES_PER_MIB = 1024 * 1024;

    private final BehaviourCatalog behaviours;
    private final RandomGenerator random;
    private final double requestsPerSecond;
    private final double baseMemoryBytes;
    private final Map<String, ServiceTraffic> services = new TreeMap<>();

    public TrafficSimulator(BehaviourCatalog behaviours, RandomGenerator random, double requestsPerSecond,
            double baseMemoryMb) {
        if (!(requestsPerSecond >= 0)) {
            throw new IllegalArgumentException("requestsPerSecond must be 0 or more, was " + requestsPerSecond);
        }
        this.behaviours = behaviours;
        this.random = random;
        this.requestsPerSecond = requestsPerSecond;
        this.baseMemoryBytes = baseMemoryMb * BYTES_PER_MIB;
    }

    /**
     * Route a service's traffic: {@code weight} percent to {@code canaryVersion} (none if {@code null}), the rest to
     * {@code stableVersion}. The versions' series exist from now on, at zero until they serve a request.
     */
    public synchronized void route(String service, String stableVersion, String canaryVersion, int weight) {
        if (weight < 0 || weight > 100) {
            throw new IllegalArgumentException("weight must be between 0 and 100, was " + weight);
        }
        services.computeIfAbsent(service, s -> new ServiceTraffic()).route(stableVersion, canaryVersion, weight);
    }

    /** Simulate the requests that arrive during {@code elapsed}. */
    public synchronized void tick(Duration elapsed) {
        double seconds = elapsed.toNanos() / 1e9;
        if (seconds <= 0) {
            return;
        }
        services.values().forEach(traffic -> traffic.tick(seconds));
    }

    /**
     * Everything served so far, services and versions in name order. A version that is down is left out (a down
     * process reports nothing); its counters reappear where they stopped once it answers again.
     */
    public synchronized List<ServiceMetrics> snapshot() {
        List<ServiceMetrics> result = new ArrayList<>();
        services.forEach((name, traffic) -> result.add(traffic.snapshot(name)));
        return result;
    }

    /** Whether the version currently running as {@code service}'s stable version is down (false if unknown). */
    public synchronized boolean stableDown(String service) {
        ServiceTraffic traffic = services.get(service);
        return traffic != null && traffic.stable != null && behaviours.of(traffic.stable).down();
    }

    /** The services whose stable version is down, in name order. */
    public synchronized List<String> servicesWithStableDown() {
        return services.keySet().stream().filter(this::stableDown).toList();
    }

    public synchronized Optional<ServiceMetrics> snapshot(String service) {
        ServiceTraffic traffic = services.get(service);
        return traffic == null ? Optional.empty() : Optional.of(traffic.snapshot(service));
    }

    private final class ServiceTraffic {
        private String stable;
        private String canary;
        private double canaryShare;
        private double pendingRequests;
        private double inFlight;
        private final Map<String, VersionCounters> versions = new TreeMap<>();
        private final Map<String, Double> memoryBytes = new LinkedHashMap<>();

        void route(String stableVersion, String canaryVersion, int weight) {
            stable = stableVersion;
            canary = canaryVersion;
            canaryShare = canaryVersion == null ? 0 : weight / 100.0;
            versions.computeIfAbsent(stable, v -> new VersionCounters());
            if (canary != null) {
                versions.computeIfAbsent(canary, v -> new VersionCounters());
            }
            // A version keeps its memory while it stays deployed; one that leaves starts afresh if it comes back.
            memoryBytes.keySet().removeIf(v -> !v.equals(stable) && !v.equals(canary));
            memoryBytes.putIfAbsent(stable, baseMemoryBytes);
            if (canary != null) {
                memoryBytes.putIfAbsent(canary, baseMemoryBytes);
            }
        }

        void tick(double seconds) {
            pendingRequests += requestsPerSecond * seconds;
            long arriving = (long) pendingRequests;
            pendingRequests -= arriving;
            double latencySum = 0;
            for (long i = 0; i < arriving; i++) {
                String version = canary != null && random.nextDouble() < canaryShare ? canary : stable;
                Behaviour behaviour = behaviours.of(version);
                if (behaviour.down()) {
                    continue; // nobody answers: the request is lost, and nothing records it
                }
                double latency = behaviour.sampleLatencySeconds(random);
                int code = behaviour.sampleFailure(random) ? SERVER_ERROR : OK;
                versions.get(version).record(code, latency);
                latencySum += latency;
            }
            // Little's law: requests in flight = arrival rate x mean latency = total latency / interval.
            inFlight = latencySum / seconds;
            // A down version holds no memory; when it answers again it is a fresh process, back at the base.
            memoryBytes.replaceAll((version, bytes) -> behaviours.of(version).down() ? baseMemoryBytes
                    : bytes + behaviours.of(version).memoryGrowthMbPerHour() * BYTES_PER_MIB * seconds / 3600);
        }

        ServiceMetrics snapshot(String service) {
            List<VersionMetrics> result = new ArrayList<>();
            versions.forEach((version, counters) -> {
                if (behaviours.of(version).down()) {
                    return; // a down process reports nothing: its series are absent until it answers again
                }
                Double memory = memoryBytes.get(version);
                result.add(new VersionMetrics(version, counters.byCode, counters.histogram(),
                        memory == null ? OptionalDouble.empty() : OptionalDouble.of(memory)));
            });
            return new ServiceMetrics(service, Math.round(inFlight), result);
        }
    }

    private static final class VersionCounters {
        private final Map<Integer, Long> byCode = new TreeMap<>(Map.of(OK, 0L, SERVER_ERROR, 0L));
        private final long[] bucketCounts = new long[LATENCY_BUCKETS.size()];
        private double latencySum;
        private long count;

        void record(int code, double latencySeconds) {
            byCode.merge(code, 1L, Long::sum);
            for (int i = 0; i < bucketCounts.length; i++) {
                if (latencySeconds <= LATENCY_BUCKETS.get(i)) {
                    bucketCounts[i]++;
                    break;
                }
            }
            latencySum += latencySeconds;
            count++;
        }

        LatencyHistogram histogram() {
            List<Long> cumulative = new ArrayList<>(bucketCounts.length);
            long running = 0;
            for (long bucketCount : bucketCounts) {
                running += bucketCount;
                cumulative.add(running);
            }
            return new LatencyHistogram(LATENCY_BUCKETS, cumulative, latencySum, count);
        }
    }
}
