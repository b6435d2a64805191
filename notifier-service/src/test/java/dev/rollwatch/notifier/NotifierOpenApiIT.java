package dev.rollwatch.notifier;

import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document at /q/openapi carries the notifier's API contract (issue 19, 6: the README only lists the
 * endpoints): every operation, those added later included, has a summary, a 2xx, the 401 and 403 with the problem
 * types the service answers, a 400 naming `malformed-body` when it takes a body, and described parameters.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class NotifierOpenApiIT {

    private static final Set<String> OPERATIONS = Set.of(
            "get /api/v1/channels",
            "post /api/v1/channels",
            "get /api/v1/channels/{name}",
            "put /api/v1/channels/{name}",
            "delete /api/v1/channels/{name}",
            "get /api/v1/routes",
            "post /api/v1/routes",
            "get /api/v1/routes/{name}",
            "put /api/v1/routes/{name}",
            "delete /api/v1/routes/{name}",
            "get /api/v1/deliveries");

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head",
            "options");

    /** Operations that need no token: none in this service. */
    private static final Set<String> PUBLIC_OPERATIONS = Set.of();

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> operations() {
        Map<String, Object> paths = given().when().get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath().getMap("paths");
        Map<String, Map<String, Object>> operations = new java.util.TreeMap<>();
        paths.forEach((path, item) -> ((Map<String, Object>) item).forEach((method, operation) -> {
            if (HTTP_METHODS.contains(method)) {
                operations.put(method + " " + path, (Map<String, Object>) operation);
            }
        }));
        return operations;
    }

    @Test
    void everyEndpointIsInTheDocument() {
        assertThat(new TreeSet<>(operations().keySet())).containsExactlyInAnyOrderElementsOf(OPERATIONS);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyOperationDocumentsItsSummaryItsSuccessAndItsRefusals() {
        List<String> undocumented = new ArrayList<>();
        operations().forEach((key, operation) -> {
            Map<String, Object> responses = operation.get("responses") == null ? Map.of()
                    : (Map<String, Object>) operation.get("responses");
            String summary = (String) operation.get("summary");
            if (summary == null || summary.isBlank()) {
                undocumented.add(key + ": no summary");
            }
            if (responses.keySet().stream().noneMatch(status -> status.startsWith("2"))) {
                undocumented.add(key + ": no 2xx response");
            }
            if (!PUBLIC_OPERATIONS.contains(key)) {
                if (!description(responses, "401").contains("`unauthorized`")) {
                    undocumented.add(key + ": no 401 naming `unauthorized`");
                }
                if (!description(responses, "403").contains("`forbidden`")) {
                    undocumented.add(key + ": no 403 naming `forbidden`");
                }
            }
            if (operation.containsKey("requestBody") && !description(responses, "400").contains("`malformed-body`")) {
                undocumented.add(key + ": takes a body but no 400 naming `malformed-body`");
            }
            Iterable<Map<String, Object>> parameters = (Iterable<Map<String, Object>>) operation.get("parameters");
            if (parameters != null) {
                for (Map<String, Object> parameter : parameters) {
                    Object description = parameter.get("description");
                    if (description == null || ((String) description).isBlank()) {
                        undocumented.add(key + ": parameter " + parameter.get("name") + " has no description");
                    }
                }
            }
        });
        assertThat(undocumented).as("operations documented incompletely in /q/openapi").isEmpty();
    }

    /**
     * Each row: the operation, the method and path of a request the service refuses, its body (none for a read), and
     * the status: the problem type it answers must be one that operation's document names for that status.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            post /api/v1/channels         | POST /api/v1/channels            | {"name": "fax", "type": "fax"}                      | 400
            post /api/v1/channels         | POST /api/v1/channels            | {"name": "x", "type": "slack", "createdBy": "eve"}  | 400
            post /api/v1/channels         | POST /api/v1/channels            | {"name": "Not A Name", "type": "slack"}              | 400
            get /api/v1/channels/{name}   | GET /api/v1/channels/no-such-channel | -                                              | 404
            put /api/v1/channels/{name}   | PUT /api/v1/channels/log         | {"enabled": false}                                  | 409
            put /api/v1/channels/{name}   | PUT /api/v1/channels/no-such-channel | {"enabled": false}                              | 404
            delete /api/v1/channels/{name} | DELETE /api/v1/channels/log     | -                                                   | 409
            post /api/v1/routes           | POST /api/v1/routes              | {"name": "r", "eventType": "nope", "channels": ["log"]} | 400
            post /api/v1/routes           | POST /api/v1/routes              | {"name": "r", "severity": "P9", "channels": ["log"]} | 400
            put /api/v1/routes/{name}     | PUT /api/v1/routes/p1-breach     | {"name": "other", "channels": ["log"]}              | 400
            get /api/v1/routes/{name}     | GET /api/v1/routes/no-such-route | -                                                   | 404
            delete /api/v1/routes/{name}  | DELETE /api/v1/routes/no-such-route | -                                                | 404
            get /api/v1/deliveries        | GET /api/v1/deliveries?size=0    | -                                                   | 400
            """)
    void theProblemTypeARefusedRequestGetsIsOneItsDocumentNames(String key, String request, String body, int status) {
        String[] methodAndPath = request.split(" ", 2);
        var spec = given().header("Authorization", TestTokens.authorization());
        if (body != null) {
            spec = spec.contentType("application/json").body(body);
        }
        String type = spec.when().request(methodAndPath[0], methodAndPath[1])
                .then().statusCode(status).contentType("application/problem+json")
                .extract().jsonPath().getString("type");
        assertDocumented(key, status, type);
    }

    @SuppressWarnings("unchecked")
    private static void assertDocumented(String key, int status, String type) {
        String slug = type.substring(type.lastIndexOf('/') + 1);
        Map<String, Object> responses = (Map<String, Object>) operations().get(key).get("responses");
        assertThat(description(responses, Integer.toString(status))).as("%d of %s", status, key)
                .contains("`" + slug + "`");
    }

    @SuppressWarnings("unchecked")
    private static String description(Map<String, Object> responses, String status) {
        Map<String, Object> response = (Map<String, Object>) responses.get(status);
        Object description = response == null ? null : response.get("description");
        return description == null ? "" : (String) description;
    }
}
