package dev.rollwatch.demotarget.service;

import dev.rollwatch.demotarget.domain.Behaviour;
import dev.rollwatch.demotarget.domain.ServiceMetrics;
import dev.rollwatch.demotarget.domain.VersionMetrics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TrafficSimulatorTest {

    private static final Behaviour GOOD = new Behaviour(0.001, 120, 0);
    private static final Behaviour BAD = new Behaviour(0.08, 900, 0);
    private static final Duration TICK = Duration.ofMillis(100);

    private final BehaviourCatalog behaviours = new BehaviourCatalog(GOOD, BAD, Set.of("2.5.0"), "bad");
    private final TrafficSimulator simulator = new TrafficSimulator(behaviours, new SplittableRandom(42), 200, 180);

    @Test
    void generatesTheConfiguredRequestRateAcrossTicks() {
        simulator.route("checkout", "2.3.0", null, 0);

        ticks(1_000); // 100 simulated seconds at 200 requests per second

        assertThat(version("checkout", "2.3.0").requests()).isEqualTo(20_000);
    }

    @Test
    void keepsFractionalRequestsForTheNextTick() {
        TrafficSimulator slow = new TrafficSimulator(behaviours, new SplittableRandom(1), 3, 180);
        slow.route("checkout", "2.3.0", null, 0);

        for (int i = 0; i < 10; i++) {
            slow.tick(TICK); // 0.3 requests per tick
        }

        assertThat(slow.snapshot("checkout").orElseThrow().version("2.3.0").orElseThrow().requests()).isEqualTo(3);
    }

    @Test
    void splitsTrafficByWeight() {
        simulator.route("checkout", "2.3.0", "2.4.0", 25);

        ticks(1_000);

        long canary = version("checkout", "2.4.0").requests();
        long stable = version("checkout", "2.3.0").requests();
        assertThat(canary + stable).isEqualTo(20_000);
        assertThat(canary / 20_000.0).isCloseTo(0.25, within(0.015));
    }

    @Test
    void weightZeroKeepsTheCanaryIdleAndWeightHundredGivesItEverything() {
        simulator.route("checkout", "2.3.0", "2.4.0", 0);
        ticks(100);
        assertThat(version("checkout", "2.4.0").requests()).isZero();

        simulator.route("checkout", "2.3.0", "2.4.0", 100);
        ticks(100);
        assertThat(version("checkout", "2.4.0").requests()).isEqualTo(2_000);
        assertThat(version("checkout", "2.3.0").requests()).isEqualTo(2_000); // all from the first 100 ticks
    }

    @Test
    void aNewlyRoutedCanaryIsExposedAtZeroBeforeItServes() {
        simulator.route("checkout", "2.3.0", "2.4.0", 5);

        VersionMetrics canary = version("checkout", "2.4.0");

        assertThat(canary.requestsByCode()).containsEntry(200, 0L).containsEntry(500, 0L);
        assertThat(canary.latency().count()).isZero();
        assertThat(canary.residentMemoryBytes()).hasValue(180 * 1024 * 1024);
    }

    @Test
    void badVersionsProduceTheConfiguredErrorRateAndGoodVersionsAlmostNone() {
        simulator.route("checkout", "2.3.0", "2.4.0-bad", 50);

        ticks(2_000); // about 20 000 requests each

        VersionMetrics bad = version("checkout", "2.4.0-bad");
        VersionMetrics good = version("checkout", "2.3.0");
        assertThat((double) bad.serverErrors() / bad.requests()).isCloseTo(0.08, within(0.006));
        assertThat((double) good.serverErrors() / good.requests()).isLessThan(0.003);
    }

    @Test
    void versionsListedAsBadBehaveBadWithoutTheMarker() {
        simulator.route("checkout", "2.3.0", "2.5.0", 100);

        ticks(1_000);

        VersionMetrics listed = version("checkout", "2.5.0");
        assertThat((double) listed.serverErrors() / listed.requests()).isCloseTo(0.08, within(0.008));
    }

    @Test
    void latencyQuantilesFromTheHistogramMatchTheBehaviours() {
        simulator.route("checkout", "2.3.0", "2.4.0-bad", 50);

        ticks(2_000);

        double goodP95 = Histograms.quantile(0.95, version("checkout", "2.3.0").latency());
        double badP95 = Histograms.quantile(0.95, version("checkout", "2.4.0-bad").latency());
        // Buckets are coarse (0.1, 0.25, 0.5, 1): what matters is which side of the 500 ms threshold each lands.
        assertThat(goodP95).isBetween(0.1, 0.25);
        assertThat(badP95).isBetween(0.5, 1.0);
    }

    @Test
    void aBehaviourChangedAtRuntimeAppliesFromTheNextTick() {
        simulator.route("checkout", "2.3.0", "2.4.0", 100);
        ticks(10);
        behaviours.override("2.4.0", GOOD.withErrorRate(1.0));

        ticks(10);

        VersionMetrics canary = version("checkout", "2.4.0");
        assertThat(canary.requestsByCode().get(500)).isGreaterThanOrEqualTo(200);
    }

    @Test
    void queueSizeIsRequestsInFlight() {
        simulator.route("checkout", "2.3.0", null, 0);

        simulator.tick(Duration.ofSeconds(10));

        // Little's law: 200 requests/s x mean latency (120 ms p95 -> about 60 ms mean) = about 12 in flight.
        double meanLatency = GOOD.meanLatencySeconds();
        assertThat(simulator.snapshot("checkout").orElseThrow().queueSize())
                .isCloseTo(Math.round(200 * meanLatency), within(2L));
    }

    @Test
    void memoryGrowsWhileALeakyVersionServesAndIsGoneAfterItIsRemoved() {
        behaviours.override("2.4.0", GOOD.withMemoryGrowthMbPerHour(60));
        simulator.route("checkout", "2.3.0", "2.4.0", 10);

        simulator.tick(Duration.ofMinutes(1));

        assertThat(version("checkout", "2.4.0").residentMemoryBytes().orElseThrow())
                .isCloseTo(181 * 1024 * 1024, within(1.0));
        assertThat(version("checkout", "2.3.0").residentMemoryBytes()).hasValue(180 * 1024 * 1024);

        simulator.route("checkout", "2.3.0", null, 0); // rolled back

        VersionMetrics removed = version("checkout", "2.4.0");
        assertThat(removed.residentMemoryBytes()).isEmpty();
        assertThat(removed.requests()).as("counters never go back").isPositive();
    }

    @Test
    void aDownCanaryLosesItsRequestsAndReportsNothingUntilItAnswersAgain() {
        behaviours.override("2.4.0", GOOD.withMemoryGrowthMbPerHour(60));
        simulator.route("checkout", "2.3.0", "2.4.0", 50);
        simulator.tick(Duration.ofMinutes(1));
        long servedBefore = version("checkout", "2.4.0").requests();
        long stableBefore = version("checkout", "2.3.0").requests();

        behaviours.override("2.4.0", behaviours.of("2.4.0").withDown(true));
        ticks(100); // 10 s: 2 000 requests, about half of them routed to the down canary

        ServiceMetrics down = simulator.snapshot("checkout").orElseThrow();
        assertThat(down.version("2.4.0")).as("a down process reports nothing").isEmpty();
        long stableServed = version("checkout", "2.3.0").requests() - stableBefore;
        assertThat(stableServed).as("the stable half is still served, the canary half is lost")
                .isBetween(900L, 1_100L);
        assertThat(simulator.stableDown("checkout")).isFalse();

        behaviours.override("2.4.0", behaviours.of("2.4.0").withDown(false));
        VersionMetrics back = version("checkout", "2.4.0");
        assertThat(back.requests()).as("its counters reappear where they stopped").isEqualTo(servedBefore);
        assertThat(back.residentMemoryBytes()).as("a fresh process").hasValue(180 * 1024 * 1024);
        ticks(10);
        assertThat(version("checkout", "2.4.0").requests()).isGreaterThan(servedBefore);
    }

    @Test
    void aDownStableVersionIsReportedAsSuchAndServesNothing() {
        simulator.route("checkout", "2.3.0", null, 0);
        simulator.route("payments", "1.0.0", null, 0);
        behaviours.override("2.3.0", GOOD.withDown(true));

        ticks(10);

        assertThat(simulator.stableDown("checkout")).isTrue();
        assertThat(simulator.stableDown("payments")).isFalse();
        assertThat(simulator.stableDown("unknown")).isFalse();
        assertThat(simulator.servicesWithStableDown()).containsExactly("checkout");
        assertThat(simulator.snapshot("checkout").orElseThrow().versions()).isEmpty();
        assertThat(simulator.snapshot("checkout").orElseThrow().queueSize()).as("nothing in flight").isZero();
        assertThat(version("payments", "1.0.0").requests()).isEqualTo(200);
    }

    @Test
    void theSameSeedGivesTheSameTraffic() {
        TrafficSimulator again = new TrafficSimulator(behaviours, new SplittableRandom(42), 200, 180);
        simulator.route("checkout", "2.3.0", "2.4.0", 25);
        again.route("checkout", "2.3.0", "2.4.0", 25);

        ticks(100);
        for (int i = 0; i < 100; i++) {
            again.tick(TICK);
        }

        assertThat(again.snapshot()).usingRecursiveComparison().isEqualTo(simulator.snapshot());
    }

    @Test
    void refusesAWeightOutsideZeroToHundred() {
        assertThatThrownBy(() -> simulator.route("checkout", "2.3.0", "2.4.0", 101))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private void ticks(int count) {
        for (int i = 0; i < count; i++) {
            simulator.tick(TICK);
        }
    }

    private VersionMetrics version(String service, String version) {
        ServiceMetrics metrics = simulator.snapshot(service).orElseThrow();
        return metrics.version(version).orElseThrow();
    }
}
