package dev.rollwatch.platform.rest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client-visible failure rendered as RFC 9457 problem+json. {@code type} is a stable slug, documented per
 * service, turned into {@code https://rollwatch.dev/problems/<slug>}.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final Map<String, Object> properties = new LinkedHashMap<>();

    public ProblemException(int status, String type, String title, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    public static ProblemException badRequest(String type, String detail) {
        return new ProblemException(400, type, "Invalid request", detail);
    }

    public static ProblemException notFound(String what, String id) {
        return new ProblemException(404, "not-found", "Not found", what + " " + id + " does not exist");
    }

    public static ProblemException conflict(String type, String detail) {
        return new ProblemException(409, type, "Conflict", detail);
    }

    /** An extension member of the problem object, e.g. the id of the conflicting deployment. */
    public ProblemException with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
