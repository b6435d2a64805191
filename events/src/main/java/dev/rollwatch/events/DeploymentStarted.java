package dev.rollwatch.events;

import java.time.Duration;
import java.util.List;

/**
 * A deployment was accepted and its rollout begins. {@code onFailure} is what a failed phase does: {@code rollback}
 * (absent means this: back to the previous version) or {@code stepBack} (runbook 004: a failure at 25 % drops back to
 * 5 %: the previous phase's weight); {@code afterStepBack} is then {@code pause} (absent means this: wait for an
 * operator to retry or abort) or {@code continue} (retry the failed phase once, a second failure rolls back).
 * {@code bakeWindow} is how long the monitor keeps watching after SUCCEEDED (absent: the monitor's default, 1 hour),
 * breaches in it rolling the deployment back. {@code override} is an operator's reason for starting outside a
 * deployment window (absent when inside one). Topic {@code deployment-started}.
 */
public record DeploymentStarted(String service, String environment, String version, String previousVersion,
        Target target, List<StepSpec> steps, AnalysisSpec analysis, String requestedBy, String onFailure,
        String afterStepBack, Duration bakeWindow, String override) implements EventData {

    public static final String ON_FAILURE_ROLLBACK = "rollback";
    public static final String ON_FAILURE_STEP_BACK = "stepBack";
    public static final String AFTER_STEP_BACK_PAUSE = "pause";
    public static final String AFTER_STEP_BACK_CONTINUE = "continue";

    public DeploymentStarted(String service, String environment, String version, String previousVersion,
            Target target, List<StepSpec> steps, AnalysisSpec analysis, String requestedBy) {
        this(service, environment, version, previousVersion, target, steps, analysis, requestedBy, null, null, null,
                null);
    }

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
