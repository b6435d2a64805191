package dev.rollwatch.platform.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Every error leaves as problem+json with a stable type: no stack traces, no class names, no internals.
 */
public final class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private ProblemMappers() {
    }

    @Provider
    public static class ProblemExceptionMapper implements ExceptionMapper<ProblemException> {
        @Override
        public Response toResponse(ProblemException e) {
            Problem problem = Problem.of(e.status(), e.type(), e.title(), e.getMessage());
            for (Map.Entry<String, Object> p : e.properties().entrySet()) {
                problem = problem.with(p.getKey(), p.getValue());
            }
            return problem.toResponse();
        }
    }

    @Provider
    public static class ConstraintViolationMapper implements ExceptionMapper<ConstraintViolationException> {
        @Override
        public Response toResponse(ConstraintViolationException e) {
            List<Map<String, String>> errors = e.getConstraintViolations().stream()
                    .map(v -> Map.of("field", lastNode(v.getPropertyPath().toString()), "message", v.getMessage()))
                    .sorted((a, b) -> a.get("field").compareTo(b.get("field")))
                    .collect(Collectors.toList());
            String detail = errors.stream().map(m -> m.get("field") + " " + m.get("message"))
                    .collect(Collectors.joining("; "));
            return Problem.of(400, "validation", "Invalid request", detail).with("errors", errors).toResponse();
        }

        private static String lastNode(String path) {
            // "create.request.service" -> "service": the method and parameter names are internals.
            String[] parts = path.split("\\.");
            return parts.length > 2 ? String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length))
                    : parts[parts.length - 1];
        }
    }

    @Provider
    public static class JsonMapper implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            return malformed(e);
        }
    }

    @Provider
    public static class MismatchedInputMapper implements ExceptionMapper<MismatchedInputException> {
        @Override
        public Response toResponse(MismatchedInputException e) {
            return malformed(e);
        }
    }

    @Provider
    public static class InvalidFormatMapper implements ExceptionMapper<InvalidFormatException> {
        @Override
        public Response toResponse(InvalidFormatException e) {
            return malformed(e);
        }
    }

    @Provider
    public static class UnrecognizedPropertyMapper implements ExceptionMapper<UnrecognizedPropertyException> {
        @Override
        public Response toResponse(UnrecognizedPropertyException e) {
            return malformed(e);
        }
    }

    private static final String OUT_OF_RANGE = "number out of range";

    /** Where the parser stood: {@code at 'strategy.steps[0].setWeight'} (field names only, never values). */
    private static String location(JsonParser p) {
        List<String> parts = new java.util.ArrayList<>();
        for (JsonStreamContext c = p.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                parts.add(0, "." + c.getCurrentName());
            }
        }
        String path = String.join("", parts);
        path = path.startsWith(".") ? path.substring(1) : path;
        return path.isEmpty() ? "" : " at '" + path + "'";
    }

    /** An integer beyond its type (Jackson's check, possibly wrapped with the path) or a decimal beyond double. */
    private static boolean outOfRange(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InputCoercionException || t instanceof StreamConstraintsException
                    || t instanceof JsonProcessingException j && OUT_OF_RANGE.equals(j.getOriginalMessage())) {
                return true;
            }
        }
        return false;
    }

    static Response malformed(JsonProcessingException e) {
        String where = "";
        if (e instanceof MismatchedInputException mie && !mie.getPath().isEmpty()) {
            where = " at '" + mie.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[") + "'";
        }
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String kind = e instanceof UnrecognizedPropertyException u ? "unknown field '" + u.getPropertyName() + "'"
                : outOfRange(e) ? "a number is out of range"
                : e instanceof MismatchedInputException ? "a value has the wrong type or is missing"
                : message.startsWith("Duplicate field ") ? "duplicate field "
                        + message.substring("Duplicate field ".length()).replace('"', '\'')
                : "the body is not valid JSON";
        if (where.isEmpty() && !(e instanceof MismatchedInputException) && e.getProcessor() instanceof JsonParser p) {
            where = location(p);
        }
        return Problem.of(400, "malformed-body", "Malformed request body", kind + where).toResponse();
    }

    @Provider
    public static class WebApplicationMapper implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse() != null ? e.getResponse().getStatus() : 500;
            if (status >= 500) {
                return internal(e);
            }
            Response.Status known = Response.Status.fromStatusCode(status);
            String title = known != null ? known.getReasonPhrase() : "Request refused";
            String slug = title.toLowerCase().replace(' ', '-');
            Throwable cause = e.getCause();
            if (cause instanceof JsonProcessingException jpe) {
                return malformed(jpe);
            }
            return Problem.of(status, slug, title, e.getMessage()).toResponse();
        }
    }

    @Provider
    public static class UnexpectedMapper implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            return internal(e);
        }
    }

    static Response internal(Throwable e) {
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error %s", errorId);
        return Problem.of(500, "internal", "Internal error",
                "The request could not be completed; quote error id " + errorId + " to the operators")
                .with("errorId", errorId).toResponse();
    }
}
