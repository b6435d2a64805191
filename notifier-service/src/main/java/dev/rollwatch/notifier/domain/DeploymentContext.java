package dev.rollwatch.notifier.domain;

import dev.rollwatch.events.DeploymentStarted;

/**
 * What the notifier remembers of a deployment from its {@code DeploymentStarted}, for the events that do not carry
 * it themselves ({@code step-completed} has only the step: "checkout production 2.4.0 at 25 %" needs the service,
 * environment and versions).
 */
public record DeploymentContext(String service, String environment, String version, String previousVersion,
        int stepsPlanned) {

    public static DeploymentContext of(DeploymentStarted started) {
        return new DeploymentContext(started.service(), started.environment(), started.version(),
                started.previousVersion(), started.steps().size());
    }
}
