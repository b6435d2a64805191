package dev.rollwatch.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A checkpoint of the bake window after a deployment SUCCEEDED (runbook 001/002: checks at 15 minutes, 30 minutes
 * and 1 hour after the deploy): the figures of every check so far, like a StepCompleted for the watch after the
 * rollout. {@code verdict} is the checks' verdict over the bake window up to this checkpoint (SUCCESSFUL, FAILED if a
 * check breached, ERROR if one cannot measure, INCONCLUSIVE without data). {@code last} marks the end of the bake
 * window: the watch stops after it. Topic {@code bake-checkpoints}, key = deployment id.
 *
 * @param after      the checkpoint's offset from the deployment's success, e.g. PT15M
 * @param index      1-based position of the checkpoint
 * @param of         how many checkpoints the bake window has
 * @param bakeWindow the whole bake window
 */
public record BakeCheckpoint(String service, String environment, String version, Duration after, int index, int of,
        Duration bakeWindow, Instant succeededAt, Verdict verdict, boolean last, List<CheckResult> checks)
        implements EventData {

    public BakeCheckpoint {
        Require.text(service, "service");
        Require.text(environment, "environment");
        Require.text(version, "version");
        Require.present(after, "after");
        Require.present(verdict, "verdict");
        checks = checks == null ? List.of() : List.copyOf(checks);
    }
}
