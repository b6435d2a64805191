package dev.rollwatch.events;

import java.time.Instant;

/** An operator aborted a deployment. Topic {@code deployment-commands}. */
public record DeploymentAborted(String abortedBy, Instant abortedAt, String reason) implements EventData {
    public DeploymentAborted {
        Require.text(abortedBy, "abortedBy");
        Require.present(abortedAt, "abortedAt");
    }
}
