package dev.rollwatch.demotarget.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the simulated service under deployment ({@code demo.*}). */
@ConfigMapping(prefix = "demo")
public interface DemoConfig {

    /**
     * Standard Webhooks secret ({@code whsec_<base64>}, at least 16 bytes) the driver signs its calls with. When set,
     * unsigned or badly signed driver calls are refused with 401; when unset, signatures are not checked (a warning
     * is logged at start-up). Environment variable {@code DEMO_WEBHOOK_SECRET}.
     */
    Optional<String> webhookSecret();

    /** How far a call's {@code webhook-timestamp} may be from this target's clock before it is refused. */
    @WithDefault("5m")
    Duration webhookTolerance();

    /** How many driver calls (and their webhook ids, for idempotency) are remembered; the oldest are forgotten. */
    @WithDefault("10000")
    int maxRecordedCalls();

    /**
     * Services known from start-up, each {@code name:stableVersion}, receiving traffic before any driver call.
     * Other services become known on their first traffic, rollback or finalize call.
     */
    @WithDefault("checkout:2.3.0")
    List<String> services();

    /** Simulated requests per second, per known service, split between stable and canary by the current weight. */
    @WithDefault("200")
    double requestsPerSecond();

    /** How often the background ticker generates simulated requests. */
    @WithDefault("100ms")
    Duration tickInterval();

    /** Whether the background ticker runs; without it, traffic is simulated only when something calls the tick. */
    @WithDefault("true")
    boolean tickerEnabled();

    /** Seed of the simulation's random source; unset means a different run every time. */
    Optional<Long> randomSeed();

    /** Versions that behave badly from the start, in addition to every version containing the bad-version marker. */
    Optional<List<String>> badVersions();

    /** A version whose name contains this (case-insensitive) behaves badly; e.g. {@code 2.4.0-bad}. */
    @WithDefault("bad")
    String badVersionMarker();

    /** Behaviour of good and bad versions until {@code POST /demo/behaviour} changes one. */
    Behaviours behaviour();

    interface Behaviours {

        /** Resident memory of a freshly started version, in MiB. */
        @WithDefault("180")
        double baseMemoryMb();

        Good good();

        Bad bad();
    }

    interface Good {

        /** Share of requests answered with a 5xx, 0..1. */
        @WithDefault("0.001")
        double errorRate();

        /** 95th percentile of request latency, in milliseconds. */
        @WithDefault("120")
        double p95LatencyMs();

        /** Resident memory growth while serving, in MiB per hour. */
        @WithDefault("0")
        double memoryGrowthMbPerHour();
    }

    interface Bad {

        /** Share of requests answered with a 5xx, 0..1. */
        @WithDefault("0.08")
        double errorRate();

        /** 95th percentile of request latency, in milliseconds. */
        @WithDefault("900")
        double p95LatencyMs();

        /** Resident memory growth while serving, in MiB per hour. */
        @WithDefault("0")
        double memoryGrowthMbPerHour();
    }
}
