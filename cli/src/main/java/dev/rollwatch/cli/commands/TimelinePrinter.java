package dev.rollwatch.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit timeline of a deployment as text: its events in log order, then each rollback's causal chain —
 * breach (check, measured values, threshold) → decision → rollback → finish → notifications — with the
 * durations between the hops. Pure: the JSON of {@code GET /api/v1/audit/deployments/{id}/timeline} in, lines out.
 */
public final class TimelinePrinter {

    private TimelinePrinter() {
    }

    public static List<String> lines(JsonNode timeline, boolean withEvents) {
        List<String> out = new ArrayList<>();
        Map<String, String> typeOf = new HashMap<>();
        JsonNode events = timeline.path("events");
        for (JsonNode e : events) {
            typeOf.put(e.path("id").asText(), shortType(e.path("type").asText()));
        }
        if (withEvents) {
            out.add("deployment " + timeline.path("deploymentId").asText() + ": " + events.size()
                    + " events in the audit log");
            for (JsonNode e : events) {
                String cause = e.path("causedByType").isTextual() ? "  <- " + shortType(e.get("causedByType").asText())
                        + " #" + e.path("causedByPosition").asLong() : "";
                out.add(String.format("  #%-6d %s  %-28s %s%s", e.path("position").asLong(), time(e.path("time")),
                        shortType(e.path("type").asText()), shortSource(e.path("source").asText()), cause));
            }
        }
        int n = 0;
        for (JsonNode r : timeline.path("rollbacks")) {
            n++;
            out.add("rollback " + n + ":");
            for (JsonNode b : r.path("breaches")) {
                out.add("  breach    " + time(b.path("observedAt")) + "  " + breach(b));
            }
            JsonNode d = r.path("decision");
            if (d.isObject()) {
                String rule = d.path("policyRule").asText("?")
                        + (d.path("policyVersion").isNumber() ? " (policy v" + d.path("policyVersion").asInt() + ")"
                        : "");
                out.add("  decision  " + time(d.path("time")) + "  " + d.path("trigger").asText() + " " + rule + ": "
                        + d.path("fromVersion").asText("?") + " -> " + d.path("toVersion").asText("?")
                        + (d.path("reason").isTextual() ? " | " + d.path("reason").asText() : ""));
            }
            JsonNode done = r.path("rollback");
            if (done.isObject()) {
                out.add("  rollback  " + time(done.path("time")) + "  " + done.path("outcome").asText()
                        + (done.path("toVersion").isTextual() ? ", target back on " + done.path("toVersion").asText()
                        : ""));
            } else {
                out.add("  rollback  (not completed yet)");
            }
            JsonNode finished = r.path("finished");
            if (finished.isObject()) {
                out.add("  finished  " + time(finished.path("time")) + "  " + finished.path("outcome").asText());
            }
            for (JsonNode note : r.path("notifications")) {
                String about = typeOf.getOrDefault(note.path("aboutEventId").asText(), "event");
                out.add("  notified  " + time(note.path("time")) + "  channel " + note.path("channel").asText("?")
                        + ": " + note.path("status").asText("?") + " (about " + about + ", "
                        + note.path("attempts").asInt() + " attempt" + (note.path("attempts").asInt() == 1 ? "" : "s")
                        + ")");
            }
            JsonNode ms = r.path("durations");
            if (ms.path("breachToRollbackDoneMs").isNumber()) {
                out.add("  detection to rollback done: " + ms.path("breachToRollbackDoneMs").asLong()
                        + " ms (breach -> decision " + orDash(ms.path("breachToDecisionMs"))
                        + ", decision -> rollback done " + orDash(ms.path("decisionToRollbackDoneMs")) + ")");
            } else if (ms.path("decisionToRollbackDoneMs").isNumber()) {
                out.add("  decision to rollback done: " + ms.path("decisionToRollbackDoneMs").asLong() + " ms");
            }
        }
        if (n == 0) {
            out.add("no rollback in this deployment's timeline");
        }
        return out;
    }

    static String breach(JsonNode b) {
        List<String> values = new ArrayList<>();
        for (JsonNode v : b.path("observed")) {
            values.add(number(v.asDouble()));
        }
        return "check " + b.path("check").asText() + " (" + b.path("severity").asText() + "): "
                + b.path("metric").asText() + " measured " + String.join(", ", values) + " " + operator(
                b.path("operator").asText()) + " threshold " + number(b.path("threshold").asDouble());
    }

    static String operator(String op) {
        return switch (op) {
            case "GT" -> ">";
            case "LT" -> "<";
            default -> op;
        };
    }

    static String number(double v) {
        String s = String.format("%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** {@code dev.rollwatch.threshold.breached.v1} → {@code threshold.breached}. */
    public static String shortType(String type) {
        String t = type.startsWith("dev.rollwatch.") ? type.substring("dev.rollwatch.".length()) : type;
        return t.replaceAll("\\.v\\d+$", "");
    }

    static String shortSource(String source) {
        return source.startsWith("/rollwatch/") ? source.substring("/rollwatch/".length()) : source;
    }

    /** The time of day of an ISO instant, to the millisecond ({@code 14:01:02.250}). */
    static String time(JsonNode instant) {
        String s = instant.asText("");
        int t = s.indexOf('T');
        if (t < 0) {
            return String.format("%-12s", s);
        }
        String clock = s.substring(t + 1).replace("Z", "");
        int dot = clock.indexOf('.');
        if (dot >= 0 && clock.length() > dot + 4) {
            clock = clock.substring(0, dot + 4);
        } else if (dot < 0) {
            clock = clock + ".000";
        }
        return String.format("%-12s", clock);
    }

    private static String orDash(JsonNode ms) {
        return ms.isNumber() ? ms.asLong() + " ms" : "-";
    }
}
