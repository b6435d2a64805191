package dev.rollwatch.rollback.rest;

import dev.rollwatch.rollback.domain.Decision;
import dev.rollwatch.rollback.domain.DeploymentState;
import dev.rollwatch.rollback.domain.TrackedDeployment;

import java.time.Instant;
import java.util.UUID;

/**
 * A deployment as the rollback service knows it, with its rollback decision if there is one (its id, and the whole
 * decision: rule, policy pack and version, figures, detection to rollback).
 */
public record DeploymentView(String id, String service, String environment, String version, String previousVersion,
        DeploymentState state, String outcome, Instant startedAt, Instant finishedAt, UUID rollbackDecisionId,
        DecisionView rollbackDecision) {

    static DeploymentView of(TrackedDeployment d, Decision rollback) {
        return new DeploymentView(d.deploymentId, d.service, d.environment, d.version, d.previousVersion, d.state,
                d.outcome, d.startedAt, d.finishedAt, rollback == null ? null : rollback.id,
                rollback == null ? null : DecisionView.of(rollback));
    }
}
