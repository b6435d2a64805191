package dev.rollwatch.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.cli.ExitCodes;
import dev.rollwatch.cli.Rollwatch;
import dev.rollwatch.cli.http.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.concurrent.Callable;

/** The rollback service: a manual rollback, and the decisions taken about a deployment. */
public final class RollbackCommands {

    private RollbackCommands() {
    }

    @Command(name = "rollback", description = {"Ask the rollback service to roll a deployment back now (a MANUAL "
            + "decision; not held by a freeze).", "With --watch, follow the deployment until it ends."})
    public static class Rollback implements Callable<Integer> {

        @ParentCommand
        Rollwatch root;

        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--reason", required = true, paramLabel = "TEXT")
        String reason;

        @Option(names = "--by", hidden = true, paramLabel = "WHO")
        String by;

        @Option(names = "--idempotency-key", paramLabel = "KEY")
        String idempotencyKey;

        @Option(names = "--watch", description = "follow the deployment until it ends (exit 2 when ROLLED_BACK)")
        boolean watch;

        @Override
        public Integer call() {
            Actor.refuseBy(by);
            JsonNode decision = root.api().post(root.rollbackUrl() + "/api/v1/deployments/" + id + "/rollback",
                    Map.of("reason", reason),
                    idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
            if (root.json()) {
                root.printJson(decision);
            } else {
                root.out().println("rollback requested: decision " + decision.path("id").asText() + ", "
                        + decision.path("fromVersion").asText() + " -> " + decision.path("toVersion").asText()
                        + " (" + decision.path("status").asText() + ")");
                root.out().flush();
            }
            return watch ? Watching.follow(root, id, null).exitCode() : ExitCodes.OK;
        }
    }

    @Command(name = "decisions", description = "Every decision the rollback service took about a deployment.")
    public static class Decisions implements Callable<Integer> {

        @ParentCommand
        Rollwatch root;

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            JsonNode page = root.api().get(ApiClient.url(root.rollbackUrl(), "/api/v1/decisions",
                    ApiClient.query("deploymentId", id, "size", 200)));
            if (root.json()) {
                root.printJson(page);
                return ExitCodes.OK;
            }
            Table t = new Table("DECIDED", "ACTION", "RULE", "SEVERITY", "CHECK", "TRIGGER", "STATUS", "REASON");
            for (JsonNode d : page.path("items")) {
                t.row(d.path("decidedAt").asText(), d.path("action").asText(), d.path("rule").asText(),
                        text(d, "severity"), text(d, "check"), text(d, "trigger"), text(d, "status"),
                        text(d, "reason"));
            }
            t.print(root.out());
            if (t.size() == 0) {
                root.out().println("(no decisions about " + id + ")");
                root.out().flush();
            }
            return ExitCodes.OK;
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }
}
