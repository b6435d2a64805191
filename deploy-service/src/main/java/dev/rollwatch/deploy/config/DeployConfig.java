package dev.rollwatch.deploy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Settings of the deploy service's step engine and target drivers. */
@ConfigMapping(prefix = "rollwatch.deploy")
public interface DeployConfig {

    /** The {@code http} target driver. */
    HttpDriver httpDriver();

    /** The step engine. */
    Engine engine();

    /** The live progress stream ({@code GET /api/v1/deployments/{id}/events}). */
    Events events();

    interface HttpDriver {
        /**
         * Standard Webhooks secret ({@code whsec_<base64>}) the driver signs every call with (env
         * {@code ROLLWATCH_TARGET_SECRET}). Unset: calls go out unsigned and a warning is logged at start-up.
         */
        Optional<String> secret();

        /** Time allowed to open a connection to the target. */
        @WithDefault("2s")
        Duration connectTimeout();

        /** Time allowed for one attempt's response. */
        @WithDefault("5s")
        Duration requestTimeout();

        /** Attempts per call (first try included) when the target times out or answers 5xx. */
        @WithDefault("4")
        int maxAttempts();

        /** Wait before the first retry; doubles on each further retry. */
        @WithDefault("250ms")
        Duration backoff();

        /** Upper bound of the wait between retries. */
        @WithDefault("5s")
        Duration maxBackoff();
    }

    interface Engine {
        /** How often the engine looks at every running deployment (timed steps, resumption after a restart). */
        @WithDefault("1s")
        Duration tick();

        /** Threads driving deployments; one deployment is only ever driven by one thread at a time. */
        @WithDefault("4")
        int workers();

        /** How long after an analysis step's duration the engine waits for the verdict before INCONCLUSIVE. */
        @WithDefault("30s")
        Duration analysisGrace();

        /**
         * How long a replica's claim to drive a deployment lasts without renewal (renewed every third of it while
         * held). A replica that dies mid-run is taken over this long after its last renewal.
         */
        @WithDefault("10s")
        Duration lease();

        /**
         * This replica's name in the leases; unset: {@code <host>:<http port>}, which stays the same when the
         * replica restarts in place (so it resumes its own deployments at once). Must differ between replicas.
         */
        Optional<String> instanceId();

        /** Timeout of one smoke check attempt when the check does not give one. */
        @WithDefault("5s")
        Duration smokeTimeout();
    }

    interface Events {
        /**
         * How often every followed deployment is re-read from the database, so a change made by another replica
         * reaches this replica's watchers too (this replica's own changes are pushed at once, after commit).
         */
        @WithDefault("2s")
        Duration recheck();
    }
}
