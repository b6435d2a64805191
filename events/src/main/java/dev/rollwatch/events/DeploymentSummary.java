package dev.rollwatch.events;

/** Target versus actual at the end of a deployment. */
public record DeploymentSummary(String service, String environment, String version, String activeVersion,
        int stepsPlanned, int stepsCompleted, int targetWeight, int finalWeight, long durationMs, String reason) {
    public DeploymentSummary {
        Require.text(service, "summary.service");
        Require.text(environment, "summary.environment");
        Require.text(version, "summary.version");
    }
}
