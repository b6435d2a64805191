package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.driver.DeploymentTarget;
import dev.rollwatch.events.SmokeCheck;

import java.util.List;

/** What the engine has to do outside a transaction for a deployment next (a target call or smoke checks). */
public sealed interface Work {

    Work NONE = new Nothing();

    /** Nothing to do now: waiting for a deadline, a verdict, an approval, or finished. */
    record Nothing() implements Work {
    }

    record SetWeight(int stepIndex, DeploymentTarget target, int weight, String messageId) implements Work {
    }

    record Smoke(int stepIndex, DeploymentTarget target, List<SmokeCheck> checks) implements Work {
    }

    /** Drive the target back to the previous phase's weight (a strategy with {@code onFailure: stepBack}). */
    record StepBack(DeploymentTarget target, int weight, String messageId) implements Work {
    }

    record Rollback(DeploymentTarget target, String toVersion, String messageId) implements Work {
    }

    /** Every step is done: tell the target {@code version} is now its stable version, then record SUCCEEDED. */
    record Finalize(DeploymentTarget target, String version, String messageId) implements Work {
    }
}
