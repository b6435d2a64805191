package dev.rollwatch.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.cli.ExitCodes;
import dev.rollwatch.cli.Rollwatch;
import dev.rollwatch.cli.http.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The rollback service: a manual rollback, the decisions taken about a deployment, and a person's answer to a
 * decision (decide a CONDITIONAL one, acknowledge any).
 */
public final class RollbackCommands {

    private RollbackCommands() {
    }

    @Command(name = "rollback", description = {"Ask the rollback service to roll a deployment back now (a MANUAL "
            + "decision; not held by a rollback hold). A deployment still rolling out goes back to its previous version; the "
            + "latest SUCCEEDED one of its service and environment too, or to --to-version, a version that once "
            + "SUCCEEDED there.", "With --watch, follow the deployment until it ends."})
    public static class Rollback implements Callable<Integer> {

        @ParentCommand
        Rollwatch root;

        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--reason", required = true, paramLabel = "TEXT")
        String reason;

        @Option(names = "--to-version", paramLabel = "VERSION",
                description = "the version to restore (default: the deployment's previous version)")
        String toVersion;

        @Option(names = "--by", hidden = true, paramLabel = "WHO")
        String by;

        @Option(names = "--idempotency-key", paramLabel = "KEY")
        String idempotencyKey;

        @Option(names = "--watch", description = "follow the deployment until it ends (exit 2 when ROLLED_BACK)")
        boolean watch;

        @Override
        public Integer call() {
            Actor.refuseBy(by);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("reason", reason);
            if (toVersion != null) {
                if (toVersion.isBlank()) {
                    throw new Rollwatch.UsageException("--to-version must name a version");
                }
                body.put("toVersion", toVersion.strip());
            }
            JsonNode decision = root.api().post(root.rollbackUrl() + "/api/v1/deployments/" + id + "/rollback",
                    body, idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
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

    /** What a person may choose for a CONDITIONAL decision. */
    public enum Choice { rollback, hold }

    @Command(name = "decide", description = {"Answer a CONDITIONAL decision of the rollback service: roll back now, or "
            + "hold (keep the version; the breach stays on record). Only before its decideBy; after that its default "
            + "action has happened.", "The decision ids are in 'rollwatch decisions <deployment>' and in the page."})
    public static class Decide implements Callable<Integer> {

        @ParentCommand
        Rollwatch root;

        @Parameters(index = "0", paramLabel = "DECISION_ID")
        String decisionId;

        @Parameters(index = "1", paramLabel = "rollback|hold", description = "what you decide: ${COMPLETION-CANDIDATES}")
        Choice choice;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why (recorded and audited)")
        String reason;

        @Override
        public Integer call() {
            JsonNode answer = root.api().post(root.rollbackUrl() + "/api/v1/decisions/" + decisionId + "/resolve",
                    Map.of("action", choice.name().toUpperCase(Locale.ROOT), "reason", reason));
            if (root.json()) {
                root.printJson(answer);
                return ExitCodes.OK;
            }
            root.out().println("decision " + decisionId + " resolved: " + choice.name().toUpperCase(Locale.ROOT)
                    + describe(answer));
            root.out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "ack", description = {"Acknowledge a decision of the rollback service: someone is on it, so it is "
            + "not escalated when its response target (respondBy) passes. Acknowledging does not choose: a "
            + "CONDITIONAL decision still takes its default action at its decideBy unless 'rollwatch decide' answers "
            + "it."})
    public static class Ack implements Callable<Integer> {

        @ParentCommand
        Rollwatch root;

        @Parameters(paramLabel = "DECISION_ID")
        String decisionId;

        @Override
        public Integer call() {
            JsonNode answer = root.api().post(root.rollbackUrl() + "/api/v1/decisions/" + decisionId
                    + "/acknowledge", Map.of());
            if (root.json()) {
                root.printJson(answer);
                return ExitCodes.OK;
            }
            root.out().println("decision " + decisionId + " acknowledged" + describe(answer));
            root.out().flush();
            return ExitCodes.OK;
        }
    }

    /** " (by alice at …, now ROLLBACK, status …)" from whatever the service answered, nothing if it said nothing. */
    static String describe(JsonNode answer) {
        List<String> parts = new ArrayList<>();
        String by = first(answer, "acknowledgedBy", "resolvedBy", "requestedBy");
        if (by != null) {
            parts.add("by " + by);
        }
        String at = first(answer, "acknowledgedAt", "resolvedAt");
        if (at != null) {
            parts.add("at " + at);
        }
        if (text(answer, "action") != null) {
            parts.add("decision now " + text(answer, "action"));
        }
        if (text(answer, "status") != null) {
            parts.add("status " + text(answer, "status"));
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    @Command(name = "decisions", description = {"Every decision the rollback service took about a deployment.",
            "CONDITIONAL decisions are listed again below the table with who decides by when, the default action, "
            + "and the command that answers them."})
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
            Table t = new Table("ID", "DECIDED", "ACTION", "RULE", "SEVERITY", "CHECK", "TRIGGER", "STATUS",
                    "RESPOND BY", "REASON");
            List<JsonNode> conditional = new ArrayList<>();
            for (JsonNode d : page.path("items")) {
                t.row(text(d, "id"), d.path("decidedAt").asText(), d.path("action").asText(), d.path("rule").asText(),
                        text(d, "severity"), text(d, "check"), text(d, "trigger"), text(d, "status"),
                        text(d, "respondBy"), text(d, "reason"));
                if (RollbackCommands.CONDITIONAL.equals(d.path("action").asText())) {
                    conditional.add(d);
                }
            }
            t.print(root.out());
            if (t.size() == 0) {
                root.out().println("(no decisions about " + id + ")");
            }
            for (JsonNode d : conditional) {
                conditionalLines(d).forEach(root.out()::println);
            }
            for (JsonNode d : page.path("items")) {
                if (text(d, "seedRule") != null) {
                    root.out().println("rule " + packRule(d) + pack(d) + " encodes runbook " + text(d, "seedRule"));
                }
            }
            root.out().flush();
            return ExitCodes.OK;
        }
    }

    static final String CONDITIONAL = "CONDITIONAL";

    /** What a person must do about a CONDITIONAL decision: who, by when, what happens otherwise, and how to answer. */
    static List<String> conditionalLines(JsonNode d) {
        String decisionId = text(d, "id");
        List<String> lines = new ArrayList<>();
        lines.add("CONDITIONAL " + decisionId + ": " + orElse(text(d, "deciders"), "an operator") + " decides by "
                + orElse(text(d, "decideBy"), "?") + "; if nobody does, " + orElse(text(d, "defaultAction"), "?")
                + (text(d, "respondBy") != null ? " (respond by " + text(d, "respondBy") + ")" : ""));
        lines.add("  answer: rollwatch decide " + decisionId + " rollback|hold --reason TEXT;  "
                + "rollwatch ack " + decisionId);
        return lines;
    }

    /** The pack entry that decided ({@code packRule}), else the decision's {@code rule}. */
    public static String packRule(JsonNode d) {
        return text(d, "packRule") != null ? text(d, "packRule") : d.path("rule").asText();
    }

    private static String pack(JsonNode d) {
        return text(d, "policyPack") == null ? "" : " (" + text(d, "policyPack") + ")";
    }

    private static String orElse(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static String first(JsonNode node, String... fields) {
        for (String f : fields) {
            if (text(node, f) != null) {
                return text(node, f);
            }
        }
        return null;
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }
}
