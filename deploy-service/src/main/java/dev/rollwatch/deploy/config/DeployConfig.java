package dev.rollwatch.deploy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
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

    /** The strategy a request without one gets: the runbooks' staged rollout (see the README). */
    DefaultStrategy defaultStrategy();

    /** Who may pass a gate. */
    Approvals approvals();

    /** Where deployments may go: the registered targets. */
    Targets targets();

    /**
     * Values of the {@code ${secret:NAME}} references smoke checks may put in their headers, by NAME (also read from
     * the environment variable {@code ROLLWATCH_SMOKE_SECRET_<NAME>}, upper case, other characters as {@code _}).
     * Resolved only when a check is sent; a request naming an unknown secret is refused.
     */
    Map<String, String> smokeSecrets();

    /**
     * The runbooks' default strategy (runbook 004's canary plan, with runbooks 001/002's health checks): a health
     * check of the current version before any traffic moves, 5 % with a smoke health check and an analysis whose
     * criterion is error rate &lt; 0.5 %, an open-ended go/no-go gate, 25 % and 100 % each with an analysis whose
     * criterion is error rate &lt; 0.1 %, then the monitor's bake window.
     */
    interface DefaultStrategy {
        /** The canary (5 %) analysis: runbook 004 "Phase 1: Canary Deployment (5% Traffic) - Day 1-2". */
        @WithDefault("48h")
        Duration canaryAnalysis();

        /** The graduated (25 %) analysis: runbook 004 "Phase 2: Graduated Rollout (25% Traffic) - Day 3-5". */
        @WithDefault("72h")
        Duration graduatedAnalysis();

        /** The full (100 %) analysis: runbook 004 phase 3 "Monitor continuously for 24 hours", "System stable 24 hours". */
        @WithDefault("24h")
        Duration fullAnalysis();

        /** The canary's criterion: runbook 004 phase 1 "Error rate &lt; 0.5% (slightly higher than staging)". */
        @WithDefault("0.005")
        double canaryMaxErrorRate();

        /** The 25 % and 100 % criterion: runbook 004 phases 2 and 3 "Error rate &lt; 0.1%". */
        @WithDefault("0.001")
        double maxErrorRate();

        /** The metric the criteria read (the monitor's error-rate metric). */
        @WithDefault("error_rate")
        String errorRateMetric();

        /** The health endpoint of the target, checked before the rollout and after 5 % (runbook 001 "curl …/health"). */
        @WithDefault("/health")
        String healthPath();
    }

    interface Approvals {
        /**
         * Whether the subject who requested a deployment may approve its gates or promote it (separation of duties,
         * issue 17 item 8). Default false: a second person decides.
         */
        @WithDefault("false")
        boolean allowSelfApproval();
    }

    interface Targets {
        /**
         * Whether a deployment needs a registered target (PUT /api/v1/services/{service}/environments/{environment}):
         * true (the default) refuses a service and environment without one, and URLs the registration does not
         * name. False lets deployments of unregistered services name their own URLs (the local stack, tests); a
         * registration, once made, binds its service and environment either way.
         */
        @WithDefault("true")
        boolean requireRegistration();
    }

    interface HttpDriver {
        /**
         * Standard Webhooks secret ({@code whsec_<base64>}) the driver signs every call with (env
         * {@code ROLLWATCH_TARGET_SECRET}). Unset: calls go out unsigned and a warning is logged at start-up.
         */
        Optional<String> secret();

        /** Time allowed to open a connection to the target. */
        @WithDefault("2s")
        Duration connectTimeout();

        /**
         * Time allowed for one attempt's whole response, headers and body: a target that sends its headers and
         * then drips its body fails at this deadline.
         */
        @WithDefault("5s")
        Duration requestTimeout();

        /** The longest response body read from a target (bytes); a longer one fails the call and is not read. */
        @WithDefault("65536")
        int maxResponseBytes();

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

        /**
         * Threads driving forward rollouts; one deployment is only ever driven by one thread at a time. They never
         * run rollbacks' first call: {@link #rollbackWorkers()} do.
         */
        @WithDefault("4")
        int workers();

        /**
         * Threads of their own for deployments that are ROLLING_BACK (rollbacks and step backs), so forward rollouts
         * stuck on slow targets can never delay a rollback.
         */
        @WithDefault("4")
        int rollbackWorkers();

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

        /** Timeout of one smoke check attempt (whole answer, headers and body) when the check does not give one. */
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
