package dev.rollwatch.events;

import java.util.List;

/** A deployment was accepted and its rollout begins. Topic {@code deployment-started}. */
public record DeploymentStarted(String service, String environment, String version, String previousVersion,
        Target target, List<StepSpec> steps, AnalysisSpec analysis, String requestedBy) implements EventData {
    public DeploymentStarted {
        Require.text(service, "service");
        Require.text(environment, "environment");
        Require.text(version, "version");
        Require.present(target, "target");
        steps = Require.list(steps);
        analysis = analysis == null ? new AnalysisSpec(List.of()) : analysis;
        Require.text(requestedBy, "requestedBy");
    }
}
