package dev.rollwatch.events;

/** A deployment reached a terminal state. Topic {@code deployment-finished}. */
public record DeploymentFinished(DeploymentOutcome outcome, DeploymentSummary summary) implements EventData {
    public DeploymentFinished {
        Require.present(outcome, "outcome");
        Require.present(summary, "summary");
    }
}
