package dev.rollwatch.audit;

import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
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
 * The OpenAPI document at /q/openapi describes every audit endpoint (issue 19, 6): a summary, a tag, the 401 and 403
 * every one of them answers, and, for the errors the endpoints really answer, the problem type they send.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class AuditOpenApiIT {

    private static final Set<String> AUDIT_OPERATIONS = Set.of(
            "get /api/v1/audit/events",
            "get /api/v1/audit/events/{position}/raw",
            "get /api/v1/audit/events/stream",
            "get /api/v1/audit/verify",
            "get /api/v1/audit/deployments/{id}/timeline",
            "get /api/v1/audit/checkpoints",
            "get /api/v1/audit/checkpoints/export",
            "get /api/v1/audit/checkpoints/public-key",
            "get /api/v1/audit/checkpoints/trusted-keys",
            "post /api/v1/audit/replays",
            "get /api/v1/audit/replays/{id}");

    private static final Set<String> DEAD_LETTER_OPERATIONS = Set.of(
            "get /api/v1/dead-letters",
            "get /api/v1/dead-letters/{topic}",
            "post /api/v1/dead-letters/{topic}/{partition}/{offset}/redrive");

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head",
            "options");

    /** Operations that need no token: none in this service. */
    private static final Set<String> PUBLIC_OPERATIONS = Set.of();

    private static JsonPath openApi;

    /** Read once, on first use: RestAssured knows the application's port only once a test runs. */
    private static JsonPath openApi() {
        if (openApi == null) {
            openApi = given().when().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        }
        return openApi;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> operation(String key) {
        String[] methodAndPath = key.split(" ", 2);
        Map<String, Object> paths = openApi().getMap("paths");
        Map<String, Object> path = (Map<String, Object>) paths.get(methodAndPath[1]);
        assertThat(path).as("path %s in the OpenAPI document", methodAndPath[1]).isNotNull();
        Map<String, Object> operation = (Map<String, Object>) path.get(methodAndPath[0]);
        assertThat(operation).as("operation %s", key).isNotNull();
        return operation;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> response(String key, int status) {
        Map<String, Object> responses = (Map<String, Object>) operation(key).get("responses");
        Map<String, Object> response = (Map<String, Object>) responses.get(Integer.toString(status));
        assertThat(response).as("response %d of %s", status, key).isNotNull();
        return response;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAuditOperationIsListedWithASummaryATagAndItsAuthenticationProblems() {
        Set<String> listed = new TreeSet<>();
        Map<String, Object> paths = openApi().getMap("paths");
        paths.forEach((path, item) -> {
            if (path.startsWith("/api/v1/audit")) {
                ((Map<String, Object>) item).keySet().forEach(method -> listed.add(method + " " + path));
            }
        });
        assertThat(listed).containsExactlyInAnyOrderElementsOf(AUDIT_OPERATIONS);

        for (String key : AUDIT_OPERATIONS) {
            Map<String, Object> operation = operation(key);
            assertThat((String) operation.get("summary")).as("summary of %s", key).isNotBlank();
            assertThat((String) operation.get("description")).as("description of %s", key).contains("auditor");
            assertThat((Iterable<String>) operation.get("tags")).as("tags of %s", key).isNotEmpty();
            assertThat((String) response(key, 401).get("description")).as("401 of %s", key)
                    .contains("`unauthorized`");
            assertThat((Map<String, Object>) response(key, 401).get("content")).as("401 of %s", key)
                    .containsKey("application/problem+json");
            assertThat((String) response(key, 403).get("description")).as("403 of %s", key).contains("`forbidden`");
        }
    }

    /**
     * Every operation of the service, those added later included: a summary, a 2xx, the 401 and 403 (with the problem
     * types the service answers) unless it is public, and a 400 naming `malformed-body` when it takes a body.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyOperationDocumentsItsSummaryItsSuccessAndItsRefusals() {
        Map<String, Object> paths = openApi().getMap("paths");
        assertThat(paths).as("paths of the OpenAPI document").isNotEmpty();
        List<String> undocumented = new ArrayList<>();
        int operations = 0;
        for (Map.Entry<String, Object> path : paths.entrySet()) {
            for (Map.Entry<String, Object> method : ((Map<String, Object>) path.getValue()).entrySet()) {
                if (!HTTP_METHODS.contains(method.getKey())) {
                    continue;
                }
                operations++;
                String key = method.getKey() + " " + path.getKey();
                Map<String, Object> operation = (Map<String, Object>) method.getValue();
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
                if (operation.containsKey("requestBody")
                        && !description(responses, "400").contains("`malformed-body`")) {
                    undocumented.add(key + ": takes a body but no 400 naming `malformed-body`");
                }
            }
        }
        assertThat(operations).as("operations in the OpenAPI document").isGreaterThanOrEqualTo(
                AUDIT_OPERATIONS.size() + DEAD_LETTER_OPERATIONS.size());
        assertThat(undocumented).as("operations documented incompletely in /q/openapi").isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static String description(Map<String, Object> responses, String status) {
        Map<String, Object> response = (Map<String, Object>) responses.get(status);
        Object description = response == null ? null : response.get("description");
        return description == null ? "" : (String) description;
    }

    @Test
    @SuppressWarnings("unchecked")
    void queryParametersAreDescribed() {
        Set<String> all = new TreeSet<>(AUDIT_OPERATIONS);
        all.addAll(DEAD_LETTER_OPERATIONS);
        for (String key : all) {
            Iterable<Map<String, Object>> parameters = (Iterable<Map<String, Object>>) operation(key)
                    .get("parameters");
            if (parameters == null) {
                continue;
            }
            for (Map<String, Object> parameter : parameters) {
                assertThat((String) parameter.get("description"))
                        .as("description of parameter %s of %s", parameter.get("name"), key).isNotBlank();
            }
        }
    }

    /**
     * Each row: an operation, a request that it refuses, and the status: the problem type the service answers must be
     * one the document names for that status.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            get /api/v1/audit/events                   | /api/v1/audit/events?limit=0                        | 400
            get /api/v1/audit/events                   | /api/v1/audit/events?after=-1                       | 400
            get /api/v1/audit/events                   | /api/v1/audit/events?from=yesterday                 | 400
            get /api/v1/audit/events                   | /api/v1/audit/events?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z | 400
            get /api/v1/audit/events/stream            | /api/v1/audit/events/stream?after=-1                | 400
            get /api/v1/audit/events/{position}/raw    | /api/v1/audit/events/999999999/raw                  | 404
            get /api/v1/audit/verify                   | /api/v1/audit/verify?from=0                         | 400
            get /api/v1/audit/verify                   | /api/v1/audit/verify?to=999999999                   | 400
            get /api/v1/audit/deployments/{id}/timeline | /api/v1/audit/deployments/no-such-deployment/timeline | 404
            get /api/v1/audit/checkpoints              | /api/v1/audit/checkpoints?limit=0                   | 400
            get /api/v1/audit/replays/{id}             | /api/v1/audit/replays/no-such-replay                | 404
            """)
    void theProblemTypeAnAuditEndpointAnswersIsTheOneItsDocumentNames(String key, String request, int status) {
        String type = given().header("Authorization", TestTokens.authorization())
                .when().get(request)
                .then().statusCode(status).contentType("application/problem+json")
                .extract().jsonPath().getString("type");
        String slug = type.substring(type.lastIndexOf('/') + 1);
        assertThat((String) response(key, status).get("description")).as("%d of %s", status, key)
                .contains("`" + slug + "`");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"fromPosition": 0}                          | 400
            {"toPosition": 999999999}                    | 400
            {"destination": "deployment-started"}        | 400
            {"deploymentId": "a b"}                      | 400
            {"requestedBy": "someone-else"}              | 400
            """)
    void theProblemTypeARefusedReplayAnswersIsOneTheDocumentNames(String body, int status) {
        String type = given().header("Authorization", TestTokens.authorization())
                .contentType("application/json").body(body)
                .when().post("/api/v1/audit/replays")
                .then().statusCode(status).contentType("application/problem+json")
                .extract().jsonPath().getString("type");
        String slug = type.substring(type.lastIndexOf('/') + 1);
        assertThat((String) response("post /api/v1/audit/replays", status).get("description"))
                .contains("`" + slug + "`");
    }
}
