package dev.rollwatch.console.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem, shaped like the services' ({@code type} under {@code https://rollwatch.dev/problems/}), so
 * the page shows the console's own errors and the services' the same way. The console does not depend on platform
 * (see ADR 0004), hence this small copy.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String service) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://rollwatch.dev/problems/";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Problem of(int status, String typeSlug, String title, String detail) {
        return new Problem(TYPE_BASE + typeSlug, title, status, detail, null);
    }

    public Problem withService(String name) {
        return new Problem(type, title, status, detail, name);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }

    /** The JSON text, for the Vert.x routes that answer without JAX-RS. */
    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", type);
        node.put("title", title);
        node.put("status", status);
        node.put("detail", detail);
        if (service != null) {
            node.put("service", service);
        }
        return node.toString();
    }
}
