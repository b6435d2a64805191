package dev.rollwatch.deploy.rest;

import dev.rollwatch.deploy.domain.Deployment;
import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.domain.DeploymentStep;
import dev.rollwatch.deploy.domain.StepStatus;
import dev.rollwatch.events.AnalysisSpec;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.events.Target;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A deployment as the API shows it: the plan ({@code steps}), where it is ({@code currentStep},
 * {@code currentWeight}) and what happened ({@code history}, one entry per started step).
 */
public record DeploymentView(UUID id, String service, String environment, String version, String previousVersion,
        DeploymentStatus status, String statusReason, Target target, List<StepSpec> steps, AnalysisSpec analysis,
        String requestedBy, int currentStep, int currentWeight, String promotedBy, List<StepView> history,
        Instant createdAt, Instant updatedAt, Instant finishedAt) {

    public record StepView(int index, StepKind kind, Integer weight, StepStatus status, Instant startedAt,
            Instant finishedAt, Instant deadline, String detail, String approvedBy, Integer smokePassed,
            Integer smokeTotal) {

        static StepView of(DeploymentStep s) {
            return new StepView(s.stepIndex, s.kind, s.weight, s.status, s.startedAt, s.finishedAt, s.deadline,
                    s.detail, s.approvedBy, s.smokePassed, s.smokeTotal);
        }
    }

    static DeploymentView of(Deployment d, List<StepSpec> steps, AnalysisSpec analysis, List<DeploymentStep> history) {
        return new DeploymentView(d.id, d.service, d.environment, d.version, d.previousVersion, d.status,
                d.statusReason, new Target(d.targetType, d.targetUrl, d.metricsUrl), steps, analysis, d.requestedBy,
                d.currentStep, d.currentWeight, d.promotedBy, history.stream().map(StepView::of).toList(),
                d.createdAt, d.updatedAt, d.finishedAt);
    }
}
