package dev.rollwatch.audit;

import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    @Test
    @SuppressWarnings("unchecked")
    void queryParametersAreDescribed() {
        for (String key : AUDIT_OPERATIONS) {
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
