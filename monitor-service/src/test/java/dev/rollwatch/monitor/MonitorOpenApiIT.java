package dev.rollwatch.monitor;

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
 * The OpenAPI document at /q/openapi carries the monitor's API contract (issue 19, 6: the README only lists the
 * endpoints): every operation, those added later included, has a summary, a 2xx, the 401 and 403 with the problem
 * types the service answers, a 400 naming `malformed-body` when it takes a body, and described parameters.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class MonitorOpenApiIT {

    private static final Set<String> OPERATIONS = Set.of(
            "post /api/v1/samples",
            "get /api/v1/deployments/{id}/analysis",
            "get /api/v1/deployments/{id}/series",
            "post /api/v1/checks/validate",
            "get /api/v1/checks/defaults");

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
     * Each row: a request the service refuses, the status, and the operation: the problem type it answers must be one
     * that operation's document names for that status.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            post /api/v1/samples           | {"deploymentId": "d", "samples": []}                               | 400
            post /api/v1/samples           | {"deploymentId": "d", "samples": [{"metric": "m", "value": "high"}]} | 400
            post /api/v1/samples           | {"deploymentId": "d", "samples": [{"metric": "m", "value": 1}], "x": 1} | 400
            post /api/v1/samples           | {"deploymentId": "no-such-watch", "samples": [{"metric": "m", "value": 1}]} | 404
            post /api/v1/checks/validate   | {"checks": [{"name": "c", "metric": "m"}]}                          | 400
            """)
    void theProblemTypeARefusedRequestGetsIsOneItsDocumentNames(String key, String body, int status) {
        String type = given().header("Authorization", TestTokens.authorization())
                .contentType("application/json").body(body)
                .when().post(key.substring(key.indexOf(' ') + 1))
                .then().statusCode(status).contentType("application/problem+json")
                .extract().jsonPath().getString("type");
        assertDocumented(key, status, type);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            get /api/v1/deployments/{id}/analysis | /api/v1/deployments/no-such-watch/analysis | 404
            get /api/v1/deployments/{id}/series   | /api/v1/deployments/no-such-watch/series   | 404
            """)
    void theProblemTypeARefusedReadGetsIsOneItsDocumentNames(String key, String request, int status) {
        String type = given().header("Authorization", TestTokens.authorization())
                .when().get(request)
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
