package dev.rollwatch.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Renders an error answer the way the CLI shows it: RFC 9457 problem+json as {@code title: detail}. */
public final class Problems {

    private Problems() {
    }

    /**
     * {@code title: detail} (plus each entry of {@code errors[]} and the interesting extensions) for a problem+json
     * body; the status line and the start of the body for anything else.
     */
    public static String render(int status, String body, ObjectMapper json) {
        JsonNode problem = parse(body, json);
        if (problem == null || !(problem.hasNonNull("title") || problem.hasNonNull("detail"))) {
            String text = body == null ? "" : body.strip();
            if (text.length() > 300) {
                text = text.substring(0, 300) + "…";
            }
            return "HTTP " + status + (text.isEmpty() ? "" : ": " + text);
        }
        String title = problem.path("title").asText("HTTP " + status);
        StringBuilder out = new StringBuilder(title);
        if (problem.hasNonNull("detail")) {
            out.append(": ").append(problem.get("detail").asText());
        }
        for (JsonNode error : problem.path("errors")) {
            out.append("\n  - ").append(describeError(error));
        }
        for (String extension : new String[] {"runningDeploymentId", "status", "decisionId", "outcome"}) {
            JsonNode value = problem.get(extension);
            if (value != null && !value.isNull() && !(extension.equals("status") && value.isInt())) {
                out.append("\n  ").append(extension).append(": ").append(value.asText());
            }
        }
        return out.toString();
    }

    private static String describeError(JsonNode error) {
        if (!error.isObject()) {
            return error.asText();
        }
        StringBuilder line = new StringBuilder();
        if (error.has("check")) {
            line.append("check ").append(error.get("check").asText()).append(' ');
        }
        String field = error.has("field") ? error.get("field").asText()
                : error.has("path") ? error.get("path").asText() : null;
        if (field != null) {
            line.append(field).append(": ");
        }
        line.append(error.has("message") ? error.get("message").asText() : error.toString());
        return line.toString();
    }

    private static JsonNode parse(String body, ObjectMapper json) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = json.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (Exception e) {
            return null;
        }
    }
}
