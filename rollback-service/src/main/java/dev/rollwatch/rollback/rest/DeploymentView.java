package dev.rollwatch.rollback.rest;

import dev.rollwatch.rollback.domain.DeploymentState;
import dev.rollwatch.rollback.domain.TrackedDeployment;

import java.time.Instant;
import java.util.UUID;

/** A deployment as the rollback service knows it, with its rollback decision if there is one. */
public record DeploymentView(String id, String service, String environment, String version, String previousVersion,
        DeploymentState state, String outcome, Instant startedAt, Instant finishedAt, UUID rollbackDecisionId) {

    static DeploymentView of(TrackedDeployment d, UUID rollbackDecisionId) {
        return new DeploymentView(d.deploymentId, d.service, d.environment, d.version, d.previousVersion, d.state,
                d.outcome, d.startedAt, d.finishedAt, rollbackDecisionId);
    }
}
