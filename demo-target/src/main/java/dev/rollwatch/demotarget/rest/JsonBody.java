package dev.rollwatch.demotarget.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body read as raw bytes (signatures cover the exact bytes) and then checked field by field, collecting
 * every violation into one 400 problem.
 */
final class JsonBody {

    private final JsonNode root;
    private final List<String> violations = new ArrayList<>();

    private JsonBody(JsonNode root) {
        this.root = root;
    }

    static JsonBody parse(ObjectMapper mapper, byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.invalidRequest("the request body must be a JSON object");
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException e) {
            throw ProblemException.invalidRequest("the request body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw ProblemException.invalidRequest("the request body must be a JSON object");
        }
        return new JsonBody(root);
    }

    JsonNode root() {
        return root;
    }

    String requiredText(String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            violations.add(field + " must be a non-blank string");
            return null;
        }
        return node.asText();
    }

    int requiredPercentage(String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isNumber() || !isWhole(node.decimalValue())
                || node.decimalValue().compareTo(BigDecimal.ZERO) < 0
                || node.decimalValue().compareTo(BigDecimal.valueOf(100)) > 0) {
            violations.add(field + " must be a whole number from 0 to 100");
            return -1;
        }
        return node.intValue();
    }

    /** {@code null} when absent; a violation when present but not a number within [min, max]. */
    Double optionalNumber(String field, double min, double max) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber() || node.doubleValue() < min || node.doubleValue() > max) {
            violations.add(field + " must be a number from " + BigDecimal.valueOf(min).toPlainString() + " to "
                    + BigDecimal.valueOf(max).toPlainString());
            return null;
        }
        return node.doubleValue();
    }

    /** {@code null} when absent; a violation when present but not {@code true} or {@code false}. */
    Boolean optionalBoolean(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            violations.add(field + " must be true or false");
            return null;
        }
        return node.booleanValue();
    }

    void violation(String message) {
        violations.add(message);
    }

    /** Throws one 400 problem listing every violation found so far. */
    void requireValid() {
        if (!violations.isEmpty()) {
            throw ProblemException.invalidRequest(String.join("; ", violations));
        }
    }

    private static boolean isWhole(BigDecimal value) {
        return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }
}
