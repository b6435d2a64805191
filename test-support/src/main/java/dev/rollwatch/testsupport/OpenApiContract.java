package dev.rollwatch.testsupport;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service's OpenAPI document ({@code /q/openapi}) read as its API contract (issue 19, 6: the READMEs only list
 * the endpoints, the document carries the rest). Each service's {@code *OpenApiIT} holds its document to the same
 * rules ({@link #assertComplete(Rules)}: a summary, a 2xx, the 401 and 403 every protected endpoint answers naming
 * their problem types, the 400 {@code malformed-body} of an operation that takes a body, optionally the 429 of a
 * change, and a description of every parameter — every gap reported at once) and checks that a request the service
 * refuses gets a problem type the document names for that status ({@link #assertRefusalDocumented}).
 *
 * <p>Operations are keyed {@code "<method> <path template>"}, lower-case method, e.g.
 * {@code "get /api/v1/deployments/{id}"}.
 */
public final class OpenApiContract {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final Set<String> CHANGES = Set.of("post", "put", "delete", "patch");

    /** The last document read, with the base URI and port it was read from (RestAssured's, set per test run). */
    private static OpenApiContract cached;

    private final String origin;
    private final Map<String, Map<String, Object>> operations;

    private OpenApiContract(String origin, Map<String, Map<String, Object>> operations) {
        this.origin = origin;
        this.operations = Collections.unmodifiableMap(operations);
    }

    /**
     * The document of the application under test, read on first use (RestAssured knows the application's port only
     * once a test runs) and again only when the application is another one.
     */
    public static synchronized OpenApiContract current() {
        String origin = RestAssured.baseURI + ":" + RestAssured.port;
        if (cached == null || !cached.origin.equals(origin)) {
            cached = new OpenApiContract(origin, read());
        }
        return cached;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> read() {
        Map<String, Object> paths = given().when().get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath().getMap("paths");
        assertThat(paths).as("paths of the OpenAPI document").isNotNull();
        Map<String, Map<String, Object>> operations = new TreeMap<>();
        paths.forEach((path, item) -> ((Map<String, Object>) item).forEach((method, operation) -> {
            if (METHODS.contains(method)) {
                operations.put(method + " " + path, (Map<String, Object>) operation);
            }
        }));
        return operations;
    }

    /** Every operation in the document. */
    public Set<String> operations() {
        return new TreeSet<>(operations.keySet());
    }

    /** The operations whose path starts with {@code pathPrefix}. */
    public Set<String> operationsUnder(String pathPrefix) {
        Set<String> under = new TreeSet<>();
        operations.keySet().stream().filter(key -> path(key).startsWith(pathPrefix)).forEach(under::add);
        return under;
    }

    /** One operation; fails the test when the document does not have it. */
    public Map<String, Object> operation(String key) {
        Map<String, Object> operation = operations.get(key);
        assertThat(operation).as("operation %s in the OpenAPI document (it has %s)", key, operations.keySet())
                .isNotNull();
        return operation;
    }

    /** The description of the operation's response with that status, or "" when it documents none. */
    @SuppressWarnings("unchecked")
    public String description(String key, int status) {
        Map<String, Object> response = (Map<String, Object>) responses(operation(key)).get(Integer.toString(status));
        Object description = response == null ? null : response.get("description");
        return description == null ? "" : (String) description;
    }

    /** The media types of the operation's response with that status (empty when it documents none). */
    @SuppressWarnings("unchecked")
    public Set<String> mediaTypes(String key, int status) {
        Map<String, Object> response = (Map<String, Object>) responses(operation(key)).get(Integer.toString(status));
        Object content = response == null ? null : response.get("content");
        return content == null ? Set.of() : new TreeSet<>(((Map<String, Object>) content).keySet());
    }

    /**
     * What the rules find missing, one line per gap ({@code "<operation>: <what>"}), for every operation under the
     * rules' path prefix.
     */
    @SuppressWarnings("unchecked")
    public List<String> incomplete(Rules rules) {
        List<String> gaps = new ArrayList<>();
        for (String key : operationsUnder(rules.pathPrefix)) {
            Map<String, Object> operation = operations.get(key);
            Map<String, Object> responses = responses(operation);
            String summary = (String) operation.get("summary");
            if (summary == null || summary.isBlank()) {
                gaps.add(key + ": no summary");
            }
            if (responses.keySet().stream().noneMatch(status -> status.startsWith("2"))) {
                gaps.add(key + ": no 2xx response");
            }
            if (!rules.publicOperations.contains(key)) {
                if (!description(key, 401).contains("`unauthorized`")) {
                    gaps.add(key + ": no 401 naming `unauthorized`");
                }
                if (!description(key, 403).contains("`forbidden`")) {
                    gaps.add(key + ": no 403 naming `forbidden`");
                }
            }
            if (operation.containsKey("requestBody") && !description(key, 400).contains("`malformed-body`")) {
                gaps.add(key + ": takes a body but no 400 naming `malformed-body`");
            }
            if (rules.changesRateLimited && CHANGES.contains(method(key))
                    && !description(key, 429).contains("`rate-limited`")) {
                gaps.add(key + ": a change but no 429 naming `rate-limited`");
            }
            Iterable<Map<String, Object>> parameters = (Iterable<Map<String, Object>>) operation.get("parameters");
            if (parameters != null) {
                for (Map<String, Object> parameter : parameters) {
                    Object description = parameter.get("description");
                    if (description == null || ((String) description).isBlank()) {
                        gaps.add(key + ": parameter " + parameter.get("name") + " has no description");
                    }
                }
            }
        }
        return gaps;
    }

    /** Fails listing every gap {@link #incomplete(Rules)} finds; also fails when no operation is under the prefix. */
    public void assertComplete(Rules rules) {
        assertThat(operationsUnder(rules.pathPrefix)).as("operations under %s in /q/openapi", rules.pathPrefix)
                .isNotEmpty();
        assertThat(incomplete(rules)).as("operations documented incompletely in /q/openapi").isEmpty();
    }

    /**
     * Sends {@code method path} with a bearer token of every role ({@link TestTokens#authorization()}) and
     * {@code jsonBody} (null: none), expects {@code status} with a problem+json body, and checks the problem type's
     * last path segment is named (in backquotes) by the description of {@code key}'s response with that status.
     * Returns the problem type.
     */
    public String assertRefusalDocumented(String key, String method, String path, String jsonBody, int status) {
        RequestSpecification spec = given().header("Authorization", TestTokens.authorization());
        if (jsonBody != null) {
            spec = spec.contentType("application/json").body(jsonBody);
        }
        String type = spec.when().request(method.toUpperCase(Locale.ROOT), path)
                .then().statusCode(status).contentType("application/problem+json")
                .extract().jsonPath().getString("type");
        assertThat(type).as("problem type of %s %s", method, path).isNotBlank();
        String slug = type.substring(type.lastIndexOf('/') + 1);
        assertThat(description(key, status)).as("%d of %s", status, key).contains("`" + slug + "`");
        return type;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> responses(Map<String, Object> operation) {
        Object responses = operation.get("responses");
        return responses == null ? Map.of() : (Map<String, Object>) responses;
    }

    private static String method(String key) {
        return key.substring(0, key.indexOf(' '));
    }

    private static String path(String key) {
        return key.substring(key.indexOf(' ') + 1);
    }

    /** What {@link #assertComplete(Rules)} holds the operations to. */
    public static final class Rules {

        private String pathPrefix = "/";
        private Set<String> publicOperations = Set.of();
        private boolean changesRateLimited;

        private Rules() {
        }

        /** Every operation of the document; no operation public; a 429 not required. */
        public static Rules everyOperation() {
            return new Rules();
        }

        /** Only the operations whose path starts with {@code prefix} (e.g. {@code "/api/"}). */
        public Rules under(String prefix) {
            this.pathPrefix = prefix;
            return this;
        }

        /** Operations that need no token, so document no 401 or 403. */
        public Rules publicOperations(Set<String> keys) {
            this.publicOperations = Set.copyOf(keys);
            return this;
        }

        /** Every change (POST, PUT, DELETE, PATCH) documents the 429 {@code rate-limited} of the service's limiter. */
        public Rules changesRateLimited() {
            this.changesRateLimited = true;
            return this;
        }
    }
}
