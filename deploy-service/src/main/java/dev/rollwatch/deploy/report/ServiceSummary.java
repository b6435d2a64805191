package dev.rollwatch.deploy.report;

import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.service.ReportCalculator;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * How a service's deployments went (of one environment, or all when {@code environment} is null): how many ended in
 * each state, the success rate against the runbook's target, how long successful ones took, how fast rollbacks
 * followed detection, and the version last SUCCEEDED in each environment.
 *
 * @param byStatus    deployments per state, running ones included
 * @param successRate SUCCEEDED / (SUCCEEDED + ROLLED_BACK + ROLLBACK_FAILED + FAILED); aborted and running ones
 *                    are not counted (an abort is a person's choice, not a failed deployment)
 */
public record ServiceSummary(String service, String environment, long deployments,
        Map<DeploymentStatus, Long> byStatus, ReportCalculator.Figure successRate, Durations durationMs,
        Durations detectionToRollbackMs, Map<String, Version> lastSucceeded) {

    /** Mean and median (p50) in milliseconds of {@code count} deployments; null figures when there are none. */
    public record Durations(long count, Double mean, Double p50) {
    }

    public record Version(String version, UUID deploymentId, Instant finishedAt) {
    }

    /** The success rate as a report figure: met when above the target, null when nothing has finished yet. */
    public static ReportCalculator.Figure successRate(Map<DeploymentStatus, Long> byStatus, double target) {
        long succeeded = byStatus.getOrDefault(DeploymentStatus.SUCCEEDED, 0L);
        long failed = byStatus.getOrDefault(DeploymentStatus.ROLLED_BACK, 0L)
                + byStatus.getOrDefault(DeploymentStatus.ROLLBACK_FAILED, 0L)
                + byStatus.getOrDefault(DeploymentStatus.FAILED, 0L);
        Double rate = succeeded + failed == 0 ? null : (double) succeeded / (succeeded + failed);
        return new ReportCalculator.Figure("ratio", ">", target, rate, rate == null ? null : rate > target, "002",
                "SUCCEEDED / (SUCCEEDED + ROLLED_BACK + ROLLBACK_FAILED + FAILED); aborted and running deployments "
                        + "are not counted");
    }
}
