package dev.rollwatch.demotarget.service;

import dev.rollwatch.demotarget.config.DemoConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Drives the simulator in real time: every tick interval it simulates the requests that arrived since the previous
 * tick (measured, so a late tick does not lose traffic).
 */
@ApplicationScoped
public class SimulationTicker {

    /** A pause longer than this (a suspended laptop, a debugger) is not replayed as a burst of traffic. */
    private static final Duration MAX_CATCH_UP = Duration.ofSeconds(5);

    private final TrafficSimulator simulator;
    private final DemoConfig config;
    private ScheduledExecutorService executor;
    private volatile long lastTickNanos;

    public SimulationTicker(TrafficSimulator simulator, DemoConfig config) {
        this.simulator = simulator;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        if (!config.tickerEnabled()) {
            Log.info("simulation ticker disabled (demo.ticker-enabled=false): traffic is simulated only on demand");
            return;
        }
        long intervalMillis = Math.max(1, config.tickInterval().toMillis());
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "demo-traffic-ticker");
            thread.setDaemon(true);
            return thread;
        });
        lastTickNanos = System.nanoTime();
        executor.scheduleAtFixedRate(this::tick, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        Log.infof("simulating %.0f requests per second per service, ticking every %d ms",
                config.requestsPerSecond(), intervalMillis);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Whether the ticker is running and ticked recently; always true when it is disabled on purpose. */
    public boolean healthy() {
        if (executor == null) {
            return !config.tickerEnabled();
        }
        Duration sinceLastTick = Duration.ofNanos(System.nanoTime() - lastTickNanos);
        return !executor.isShutdown() && sinceLastTick.compareTo(staleAfter()) < 0;
    }

    private Duration staleAfter() {
        Duration fiftyTicks = config.tickInterval().multipliedBy(50);
        return fiftyTicks.compareTo(Duration.ofSeconds(10)) > 0 ? fiftyTicks : Duration.ofSeconds(10);
    }

    private void tick() {
        long now = System.nanoTime();
        Duration elapsed = Duration.ofNanos(now - lastTickNanos);
        lastTickNanos = now;
        try {
            simulator.tick(elapsed.compareTo(MAX_CATCH_UP) > 0 ? MAX_CATCH_UP : elapsed);
        } catch (RuntimeException e) {
            // One failed tick must not stop the schedule (scheduleAtFixedRate cancels on an exception).
            Log.error("simulation tick failed", e);
        }
    }
}
