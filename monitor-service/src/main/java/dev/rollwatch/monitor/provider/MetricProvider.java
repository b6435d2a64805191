package dev.rollwatch.monitor.provider;

import dev.rollwatch.monitor.domain.CheckRule;

/**
 * A backend that measures checks, one package per backend ({@code scrape}, {@code prometheus}, {@code push}), as
 * Argo Rollouts' providers are. A provider answers one question — what is this check's value for this deployment
 * now? — with a {@link Reading}: a value, or "could not measure" with the reason (ERROR, never FAILED). Judging the
 * value against the threshold is not its business: every reading goes through the same evaluation.
 */
public interface MetricProvider {

    /** The name checks use in their {@code provider} field. */
    String name();

    /**
     * Whether the monitor asks this provider at each check's interval ({@code true}), or the provider delivers
     * measurements by itself as they arrive ({@code false}: push).
     */
    default boolean polled() {
        return true;
    }

    /**
     * Whether this provider can say anything about this check of this deployment at all. A check it does not
     * cover is not asked, and records nothing (e.g. the scrape provider without a metrics URL, or for a metric
     * that only arrives by push).
     */
    default boolean covers(CheckRule check, WatchedDeployment watch) {
        return true;
    }

    /** Measures {@code check} for {@code watch} now. Never throws: a failure is {@link Reading#couldNotMeasure}. */
    Reading measure(CheckRule check, WatchedDeployment watch);

    /**
     * Whether the deployment's metrics source answered at this provider's latest read: {@code up} true (a good read
     * that carries the watched version), false (the fetch failed, answered 5xx, or the version's series vanished),
     * null when the provider has nothing to say. Feeds the outage detection ({@code Outage.Signal.METRICS}).
     */
    default Reachability reachability(String deploymentId) {
        return null;
    }

    /** Forgets whatever the provider keeps about deployments no longer watched. */
    default void retainOnly(java.util.Set<String> watchedDeploymentIds) {
    }
}
