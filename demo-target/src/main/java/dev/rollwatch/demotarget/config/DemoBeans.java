package dev.rollwatch.demotarget.config;

import dev.rollwatch.demotarget.domain.Behaviour;
import dev.rollwatch.demotarget.service.BehaviourCatalog;
import dev.rollwatch.demotarget.service.TrafficSimulator;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

/** Builds the simulation's plain objects from {@link DemoConfig}, so they stay constructible without CDI in tests. */
public class DemoBeans {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    BehaviourCatalog behaviourCatalog(DemoConfig config) {
        DemoConfig.Good good = config.behaviour().good();
        DemoConfig.Bad bad = config.behaviour().bad();
        return new BehaviourCatalog(
                new Behaviour(good.errorRate(), good.p95LatencyMs(), good.memoryGrowthMbPerHour()),
                new Behaviour(bad.errorRate(), bad.p95LatencyMs(), bad.memoryGrowthMbPerHour()),
                new HashSet<>(config.badVersions().orElse(List.of())),
                config.badVersionMarker());
    }

    @Produces
    @Singleton
    TrafficSimulator trafficSimulator(DemoConfig config, BehaviourCatalog behaviours) {
        SplittableRandom random = config.randomSeed().map(SplittableRandom::new).orElseGet(SplittableRandom::new);
        return new TrafficSimulator(behaviours, random, config.requestsPerSecond(),
                config.behaviour().baseMemoryMb());
    }
}
