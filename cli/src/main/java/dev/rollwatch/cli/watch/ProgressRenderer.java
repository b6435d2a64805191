package dev.rollwatch.cli.watch;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns successive snapshots of a deployment ({@code GET /api/v1/deployments/{id}}) into the lines a person
 * watching needs: the plan once, each step as it starts and completes, status changes, and after each change a
 * progress bar (steps done / total, the current weight). Pure: snapshots in, lines out.
 */
public final class ProgressRenderer {

    static final int BAR_WIDTH = 24;

    private final Map<Integer, String> stepStatus = new HashMap<>();
    private String status;
    private String lastBar;
    private boolean headerShown;

    /** The lines to print for this snapshot (none when nothing a watcher cares about changed). */
    public List<String> update(JsonNode d) {
        List<String> lines = new ArrayList<>();
        JsonNode plan = d.path("steps");
        int total = totalSteps(d);
        if (!headerShown) {
            headerShown = true;
            lines.add(header(d));
            lines.add("  plan: " + planLine(plan));
        }
        for (JsonNode step : d.path("history")) {
            int index = step.path("index").asInt();
            String now = step.path("status").asText();
            String before = stepStatus.put(index, now);
            if (now.equals(before)) {
                continue;
            }
            String label = String.format("step %d/%d  %-16s", index + 1, total, stepLabel(step, plan));
            if (before == null) {
                lines.add("  > " + label + " started");
            }
            if (!"RUNNING".equals(now)) {
                lines.add("  " + marker(now) + " " + label + " " + now + took(step) + detail(step));
            }
        }
        String newStatus = d.path("status").asText();
        if (!newStatus.equals(status)) {
            String reason = d.path("statusReason").isTextual() ? " (" + d.path("statusReason").asText() + ")" : "";
            lines.add(status == null ? "  status " + newStatus + reason
                    : "  status " + status + " -> " + newStatus + reason);
            status = newStatus;
        }
        // The bar again only when it says something new: steps done, weight or status.
        String progress = "  " + bar(stepsDone(d), total) + " " + stepsDone(d) + "/" + total + " steps | weight "
                + d.path("currentWeight").asInt() + "% | " + newStatus;
        if (!progress.equals(lastBar)) {
            lines.add(progress);
            lastBar = progress;
        }
        return lines;
    }

    static String bar(int done, int total) {
        int filled = total <= 0 ? 0 : Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
    }

    static int stepsDone(JsonNode d) {
        int done = 0;
        for (JsonNode step : d.path("history")) {
            String s = step.path("status").asText();
            if (s.equals("SUCCEEDED") || s.equals("SKIPPED")) {
                done++;
            }
        }
        return done;
    }

    static int totalSteps(JsonNode d) {
        int total = d.path("steps").size();
        for (JsonNode step : d.path("history")) {
            total = Math.max(total, step.path("index").asInt() + 1);
        }
        return total;
    }

    /** {@code setWeight 5% -> analysis 20s -> ...}: a strategy as one line. */
    public static String planLine(JsonNode plan) {
        List<String> parts = new ArrayList<>();
        for (JsonNode step : plan) {
            parts.add(specLabel(step));
        }
        return parts.isEmpty() ? "(none)" : String.join(" -> ", parts);
    }

    private static String header(JsonNode d) {
        String from = d.path("previousVersion").isTextual() ? " (from " + d.path("previousVersion").asText() + ")"
                : "";
        return d.path("service").asText() + " " + d.path("version").asText() + " to "
                + d.path("environment").asText() + from + ", deployment " + d.path("id").asText();
    }

    private static String stepLabel(JsonNode step, JsonNode plan) {
        int index = step.path("index").asInt();
        if (index < plan.size()) {
            return specLabel(plan.get(index));
        }
        return specLabel(step); // e.g. the extra setWeight 100 step of a promotion
    }

    static String specLabel(JsonNode step) {
        String kind = step.path("kind").asText();
        return switch (kind) {
            case "SET_WEIGHT" -> "setWeight " + step.path("weight").asInt() + "%";
            case "ANALYSIS" -> "analysis " + duration(step.path("duration"));
            case "PAUSE" -> step.path("duration").isMissingNode() || step.path("duration").isNull() ? "pause (gate)"
                    : "pause " + duration(step.path("duration"));
            case "SMOKE" -> "smoke (" + step.path("checks").size() + " check" + (step.path("checks").size() == 1
                    ? "" : "s") + ")";
            default -> kind.toLowerCase();
        };
    }

    /** "20s", "2m", "1m30s" from ISO-8601 ("PT20S") or seconds (20.0); "" when absent. */
    static String duration(JsonNode node) {
        Duration d;
        if (node.isNumber()) {
            d = Duration.ofMillis(Math.round(node.asDouble() * 1000));
        } else if (node.isTextual()) {
            try {
                d = Duration.parse(node.asText());
            } catch (DateTimeParseException e) {
                return node.asText();
            }
        } else {
            return "";
        }
        return human(d);
    }

    public static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = d.toSeconds();
        if (s < 60) {
            return ms % 1000 == 0 ? s + "s" : String.format("%.1fs", ms / 1000.0);
        }
        long m = s / 60;
        long rest = s % 60;
        if (m < 60) {
            return rest == 0 ? m + "m" : m + "m" + rest + "s";
        }
        return (m / 60) + "h" + (m % 60 == 0 ? "" : (m % 60) + "m");
    }

    private static String took(JsonNode step) {
        try {
            if (step.path("startedAt").isTextual() && step.path("finishedAt").isTextual()) {
                Duration d = Duration.between(Instant.parse(step.get("startedAt").asText()),
                        Instant.parse(step.get("finishedAt").asText()));
                return " in " + human(d);
            }
        } catch (DateTimeParseException ignored) {
            // a date we cannot read: leave the duration out
        }
        return "";
    }

    private static String detail(JsonNode step) {
        return step.path("detail").isTextual() && !step.path("detail").asText().isBlank()
                ? ": " + step.path("detail").asText() : "";
    }

    private static String marker(String stepStatus) {
        return switch (stepStatus) {
            case "SUCCEEDED" -> "ok";
            case "SKIPPED" -> "--";
            default -> "!!";
        };
    }
}
