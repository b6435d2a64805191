package dev.rollwatch.deploy.rest;

import dev.rollwatch.deploy.domain.Deployment;
import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.events.AnalysisSpec;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.events.Target;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A deployment as the API shows it. */
public record DeploymentView(UUID id, String service, String environment, String version, String previousVersion,
        DeploymentStatus status, String statusReason, Target target, List<StepSpec> steps, AnalysisSpec analysis,
        String requestedBy, Instant createdAt, Instant updatedAt, Instant finishedAt) {

    static DeploymentView of(Deployment d, List<StepSpec> steps, AnalysisSpec analysis) {
        return new DeploymentView(d.id, d.service, d.environment, d.version, d.previousVersion, d.status,
                d.statusReason, new Target(d.targetType, d.targetUrl, d.metricsUrl), steps, analysis, d.requestedBy,
                d.createdAt, d.updatedAt, d.finishedAt);
    }
}
