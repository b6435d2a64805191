package dev.rollwatch.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.cli.Rollwatch;
import dev.rollwatch.cli.watch.DeploymentWatcher;
import dev.rollwatch.cli.watch.ProgressRenderer;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Watches a deployment and prints its progress (text) or each snapshot as one JSON line (json). */
public final class Watching {

    /** How often the watcher polls when the server has no live stream. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    private Watching() {
    }

    /** Follows {@code id} to its end and returns the exit code of how it ended. */
    public static DeploymentWatcher.Result follow(Rollwatch root, String id, Duration timeout) {
        return follow(root, id, timeout, "");
    }

    public static DeploymentWatcher.Result follow(Rollwatch root, String id, Duration timeout, String indent) {
        return follow(root, id, timeout, indent, d -> false);
    }

    /** As above; {@code stopWhen} also ends the watch (without a summary line) at a matching snapshot. */
    public static DeploymentWatcher.Result follow(Rollwatch root, String id, Duration timeout, String indent,
            java.util.function.Predicate<JsonNode> stopWhen) {
        PrintWriter out = root.out();
        ProgressRenderer renderer = new ProgressRenderer();
        DeploymentWatcher watcher = new DeploymentWatcher(root.api(), root.deployUrl(), POLL_INTERVAL, snapshot -> {
            if (root.json()) {
                out.println(snapshot.toString());
            } else {
                for (String line : renderer.update(snapshot)) {
                    out.println(indent + line);
                }
            }
            out.flush();
        }, stopWhen);
        DeploymentWatcher.Result result = watcher.watch(id, timeout);
        if (!root.json() && (result.timedOut() || dev.rollwatch.cli.ExitCodes.isTerminal(result.status()))) {
            out.println(indent + summary(result, timeout));
            out.flush();
        }
        return result;
    }

    public static String summary(DeploymentWatcher.Result result, Duration timeout) {
        JsonNode d = result.last();
        if (result.timedOut()) {
            return "timeout: still " + (d == null ? "unknown" : d.path("status").asText()) + " after "
                    + ProgressRenderer.human(timeout) + " (exit 5); the deployment goes on";
        }
        String took = "";
        try {
            if (d.path("createdAt").isTextual() && d.path("finishedAt").isTextual()) {
                took = " in " + ProgressRenderer.human(Duration.between(Instant.parse(d.get("createdAt").asText()),
                        Instant.parse(d.get("finishedAt").asText())));
            }
        } catch (DateTimeParseException ignored) {
            // leave the duration out
        }
        String reason = d.path("statusReason").isTextual() ? ": " + d.path("statusReason").asText() : "";
        return d.path("service").asText() + " " + d.path("version").asText() + " " + d.path("status").asText()
                + took + reason + " (exit " + result.exitCode() + ")";
    }
}
