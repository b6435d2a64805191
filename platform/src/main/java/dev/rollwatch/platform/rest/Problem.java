package dev.rollwatch.platform.rest;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/** An RFC 9457 problem details object. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
        @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://rollwatch.dev/problems/";

    public static Problem of(int status, String typeSlug, String title, String detail) {
        return new Problem(TYPE_BASE + typeSlug, title, status, detail, null, new LinkedHashMap<>());
    }

    @JsonAnyGetter
    public Map<String, Object> anyExtensions() {
        return extensions == null ? Map.of() : extensions;
    }

    public Problem with(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(anyExtensions());
        copy.put(name, value);
        return new Problem(type, title, status, detail, instance, copy);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
