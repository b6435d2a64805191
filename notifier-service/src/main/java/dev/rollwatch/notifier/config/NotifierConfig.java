package dev.rollwatch.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the notifier ({@code rollwatch.notifier.*}). */
@ConfigMapping(prefix = "rollwatch.notifier")
public interface NotifierConfig {

    /** Links put into every message. */
    Links links();

    /** How deliveries are attempted and retried. */
    Delivery delivery();

    /** Where channels may send to. */
    Outbound outbound();

    /** PagerDuty Events API v2. */
    PagerDuty pagerduty();

    /** Grouping of repeated alerts and per-channel rate limits. */
    Flood flood();

    /**
     * How long a phase reached ({@code step-completed}) waits for its deployment's {@code DeploymentStarted} to be
     * consumed (the two topics are consumed independently, and the step may come first). After it, the message
     * names the deployment by id and routes that narrow by service or environment do not match it.
     */
    @WithDefault("10s")
    Duration contextWait();

    interface PagerDuty {
        /** The Events API v2 endpoint that {@code pagerduty} channels created without a url send to. */
        @WithDefault("https://events.pagerduty.com/v2/enqueue")
        String eventsUrl();
    }

    interface Flood {
        /**
         * The same alert (same deployment, same alert key) on the same channel within this window after the
         * delivery that was sent is not sent again: it is recorded as GROUPED and counted on that delivery. The
         * first repeat after the window is sent, saying how many repeats the previous one absorbed.
         * {@code 0s} turns grouping off.
         */
        @WithDefault("5m")
        Duration window();

        /** Sustained sends per second to one channel (token bucket refill); beyond it deliveries wait. */
        @WithDefault("1")
        double ratePerSecond();

        /** Sends to one channel allowed at once before the rate applies (token bucket size). */
        @WithDefault("10")
        int burst();
    }

    interface Links {
        /** Base URL of the deploy service; messages link to {@code <base>/api/v1/deployments/{id}}. */
        @WithDefault("http://127.0.0.1:8081")
        String deploymentBaseUrl();

        /** Base URL of the audit service; messages link to {@code <base>/api/v1/audit/deployments/{id}/timeline}. */
        @WithDefault("http://127.0.0.1:8085")
        String auditBaseUrl();

        /**
         * Base URL of the rollback service; a decision waiting for a person names
         * {@code <base>/api/v1/decisions/{id}/resolve} and {@code .../acknowledge}.
         */
        @WithDefault("http://127.0.0.1:8083")
        String rollbackBaseUrl();
    }

    interface Delivery {
        /** Attempts per delivery before it is given up (FAILED, outcome EXHAUSTED). */
        @WithDefault("6")
        int maxAttempts();

        /** Backoff after the first failed attempt; doubles per attempt, with equal jitter. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** Largest backoff between two attempts. */
        @WithDefault("5m")
        Duration maxBackoff();

        /** Largest receiver {@code Retry-After} honoured; longer ones are cut to this. */
        @WithDefault("10m")
        Duration maxRetryAfter();

        /** Connect and response timeout of one HTTP attempt. */
        @WithDefault("10s")
        Duration timeout();

        /** How long a worker owns a delivery it is attempting; after that another worker may take it over. */
        @WithDefault("60s")
        Duration lease();

        /** Threads that deliver concurrently. */
        @WithDefault("4")
        int workers();

        /** How often due deliveries are polled for (used by the worker's schedule). */
        @WithDefault("1s")
        Duration pollInterval();

        /** Most due deliveries one poll takes (the poll is the safety net behind the post-commit hand-off). */
        @WithDefault("100")
        int pollBatch();
    }

    interface Outbound {
        /** Refuse plain http channel URLs (on in the prod profile). */
        @WithDefault("false")
        boolean requireHttps();

        /** Allow destinations on loopback addresses (the demo's receivers; off in the prod profile). */
        @WithDefault("true")
        boolean allowLoopback();

        /** Extra allowed destinations: CIDRs (e.g. {@code 10.20.0.0/16}) or host names. */
        Optional<List<String>> allowed();
    }
}
