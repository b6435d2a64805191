package dev.rollwatch.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.cli.ExitCodes;
import dev.rollwatch.cli.Rollwatch;
import dev.rollwatch.cli.http.ApiClient;
import dev.rollwatch.cli.watch.ProgressRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;

/** The deploy service's everyday operations: approve, abort, promote, list, report. */
public final class DeploymentCommands {

    private DeploymentCommands() {
    }

    /**
     * approve / abort / promote: {@code POST /api/v1/deployments/{id}/<action>} with {@code {reason}}; who acts is the
     * token's subject.
     */
    abstract static class OperatorAction implements Callable<Integer> {

        @ParentCommand
        Rollwatch root;

        @Parameters(paramLabel = "ID", description = "the deployment id")
        String id;

        @Option(names = "--by", hidden = true, paramLabel = "WHO")
        String by;

        @Option(names = "--reason", paramLabel = "TEXT", description = "why (kept in the audit log)")
        String reason;

        abstract String action();

        @Override
        public Integer call() {
            Actor.refuseBy(by);
            JsonNode d = root.api().post(root.deployUrl() + "/api/v1/deployments/" + id + "/" + action(),
                    reason == null ? Map.of() : Map.of("reason", reason));
            if (root.json()) {
                root.printJson(d);
            } else {
                root.out().println(action() + ": " + d.path("service").asText() + " " + d.path("version").asText()
                        + " (" + id + ") is now " + d.path("status").asText() + ", weight "
                        + d.path("currentWeight").asInt() + "%");
                root.out().flush();
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "approve", description = "Pass the go/no-go gate of a deployment AWAITING_APPROVAL.")
    public static class Approve extends OperatorAction {
        @Override
        String action() {
            return "approve";
        }
    }

    @Command(name = "abort", description = "Stop a deployment for good (the target is left as it is; "
            + "'rollback' brings the old version back).")
    public static class Abort extends OperatorAction {
        @Override
        String action() {
            return "abort";
        }
    }

    @Command(name = "promote", description = "Skip the remaining steps and go to 100%%.")
    public static class Promote extends OperatorAction {
        @Override
        String action() {
            return "promote";
        }
    }

    @Command(name = "list", description = "Deployments, newest first, as a table.")
    public static class ListDeployments implements Callable<Integer> {

        @ParentCommand
        Rollwatch root;

        @Option(names = "--service", paramLabel = "NAME")
        String service;

        @Option(names = "--environment", paramLabel = "NAME")
        String environment;

        @Option(names = "--status", paramLabel = "STATUS",
                description = "PENDING, RUNNING, AWAITING_APPROVAL, PAUSED, SUCCEEDED, ROLLING_BACK, ROLLED_BACK, "
                        + "ROLLBACK_FAILED, ABORTED or FAILED")
        String status;

        @Option(names = "--size", paramLabel = "N", defaultValue = "20", description = "1-200 (default 20)")
        int size;

        @Option(names = "--page", paramLabel = "N", defaultValue = "0")
        int page;

        @Override
        public Integer call() {
            JsonNode p = root.api().get(ApiClient.url(root.deployUrl(), "/api/v1/deployments",
                    ApiClient.query("service", service, "environment", environment, "status", status, "page", page,
                            "size", size)));
            if (root.json()) {
                root.printJson(p);
                return ExitCodes.OK;
            }
            Table t = new Table("ID", "SERVICE", "ENVIRONMENT", "VERSION", "STATUS", "STEP", "WEIGHT", "CREATED");
            for (JsonNode d : p.path("items")) {
                t.row(d.path("id").asText(), d.path("service").asText(), d.path("environment").asText(),
                        d.path("version").asText(), d.path("status").asText(),
                        ExitCodes.isTerminal(d.path("status").asText()) ? "-" : d.path("currentStep").asInt() + 1,
                        d.path("currentWeight").asInt() + "%", d.path("createdAt").asText());
            }
            t.print(root.out());
            root.out().println(t.size() + " of " + p.path("total").asLong() + " (page " + p.path("page").asInt()
                    + ")");
            root.out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "report", description = "The runbooks' metrics summary of a deployment.")
    public static class Report implements Callable<Integer> {

        @ParentCommand
        Rollwatch root;

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            JsonNode r = root.api().get(root.deployUrl() + "/api/v1/deployments/" + id + "/report");
            if (root.json()) {
                root.printJson(r);
            } else {
                print(r, root.out());
            }
            return ExitCodes.OK;
        }

        static void print(JsonNode r, PrintWriter out) {
            out.println("status            " + r.path("status").asText() + (r.path("finished").asBoolean()
                    ? "" : " (still going)"));
            out.println("duration          " + ms(r.path("totalDurationMs")) + " (planned "
                    + ms(r.path("plannedDurationMs")) + ")");
            if (!r.path("detectionToRollbackMs").isMissingNode() && !r.path("detectionToRollbackMs").isNull()) {
                out.println("detection->rollback " + ms(r.path("detectionToRollbackMs")) + " (rollback took "
                        + ms(r.path("rollbackDurationMs")) + ")");
            }
            JsonNode smoke = r.path("smoke");
            if (smoke.isObject()) {
                out.println("smoke checks      " + smoke.path("passed").asInt() + "/" + smoke.path("total").asInt()
                        + " passed");
            }
            StringBuilder weights = new StringBuilder();
            for (Iterator<Map.Entry<String, JsonNode>> it = r.path("timeAtWeightMs").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                weights.append(weights.isEmpty() ? "" : ", ").append(e.getKey()).append("%: ").append(ms(e.getValue()));
            }
            out.println("time at weight    " + (weights.isEmpty() ? "-" : weights));
            Table t = new Table("STEP", "KIND", "WEIGHT", "STATUS", "PLANNED", "TOOK");
            for (JsonNode s : r.path("steps")) {
                t.row(s.path("index").asInt() + 1, s.path("kind").asText(),
                        s.path("weight").isNumber() ? s.path("weight").asInt() + "%" : null,
                        s.path("status").asText(), s.path("plannedMs").isNumber() ? ms(s.path("plannedMs")) : null,
                        s.path("durationMs").isNumber() ? ms(s.path("durationMs")) : null);
            }
            out.println();
            t.print(out);
        }

        static String ms(JsonNode value) {
            if (!value.isNumber()) {
                return "-";
            }
            long ms = value.asLong();
            return ms < 1000 ? ms + " ms" : ProgressRenderer.human(Duration.ofMillis(ms));
        }
    }
}
