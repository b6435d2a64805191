package dev.rollwatch.monitor.provider;

import dev.rollwatch.monitor.domain.Watch;

/** What a provider may know about the deployment it measures: a detached copy of the watch. */
public record WatchedDeployment(String deploymentId, String service, String environment, String version,
        String previousVersion, String metricsUrl) {

    public static WatchedDeployment of(Watch w) {
        // While a rollback is verified the restored version is measured, with no baseline to compare it with.
        boolean verifying = w.status == dev.rollwatch.monitor.domain.WatchStatus.VERIFYING;
        return new WatchedDeployment(w.deploymentId, w.service, w.environment, w.measuredVersion(),
                verifying ? null : w.previousVersion, w.metricsUrl);
    }
}
