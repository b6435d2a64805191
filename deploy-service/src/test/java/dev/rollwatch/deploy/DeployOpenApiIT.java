package dev.rollwatch.deploy;

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
 * The OpenAPI document at /q/openapi is deploy-service's API contract (issue 19, 6: the README only lists the
 * endpoints). Every operation under /api has a summary, a 2xx, the 401 and 403 every endpoint answers (each naming
 * its problem type), the 400 of an operation that takes a body, and a description of each parameter; an endpoint
 * added without them fails here. A request the service refuses gets a problem type its document names.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class DeployOpenApiIT {

    /** The operations of the README's table: each must be in the document (more may be, if documented). */
    private static final Set<String> KNOWN = Set.of(
            "post /api/v1/deployments",
            "get /api/v1/deployments",
            "get /api/v1/deployments/{id}",
            "get /api/v1/deployments/{id}/events",
            "get /api/v1/deployments/{id}/report",
            "post /api/v1/deployments/{id}/approve",
            "post /api/v1/deployments/{id}/abort",
            "post /api/v1/deployments/{id}/promote",
            "get /api/v1/deployment-policies/{service}/{environment}",
            "put /api/v1/deployment-policies/{service}/{environment}",
            "get /api/v1/services/{service}/summary",
            "get /api/v1/services/{service}/environments",
            "get /api/v1/services/{service}/environments/{environment}",
            "put /api/v1/services/{service}/environments/{environment}",
            "delete /api/v1/services/{service}/environments/{environment}");

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private static JsonPath openApi;

    /** Read once, on first use: RestAssured knows the application's port only once a test runs. */
    private static JsonPath openApi() {
        if (openApi == null) {
            openApi = given().when().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        }
        return openApi;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> operations() {
        Set<String> listed = new TreeSet<>();
        Map<String, Object> paths = openApi().getMap("paths");
        paths.forEach((path, item) -> {
            if (path.startsWith("/api/")) {
                ((Map<String, Object>) item).keySet().stream().filter(METHODS::contains)
                        .forEach(method -> listed.add(method + " " + path));
            }
        });
        return listed;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> operation(String key) {
        String[] methodAndPath = key.split(" ", 2);
        Map<String, Object> path = (Map<String, Object>) openApi().getMap("paths").get(methodAndPath[1]);
        assertThat(path).as("path %s in the OpenAPI document", methodAndPath[1]).isNotNull();
        Map<String, Object> operation = (Map<String, Object>) path.get(methodAndPath[0]);
        assertThat(operation).as("operation %s", key).isNotNull();
        return operation;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> responses(String key) {
        Map<String, Object> responses = (Map<String, Object>) operation(key).get("responses");
        assertThat(responses).as("responses of %s", key).isNotNull();
        return responses;
    }

    @SuppressWarnings("unchecked")
    private static String description(String key, int status) {
        Map<String, Object> response = (Map<String, Object>) responses(key).get(Integer.toString(status));
        assertThat(response).as("response %d of %s", status, key).isNotNull();
        return (String) response.get("description");
    }

    @Test
    void everyEndpointOfTheReadmeIsInTheDocument() {
        assertThat(operations()).containsAll(KNOWN);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyOperationHasASummaryA2xxAndItsRefusals() {
        Set<String> operations = operations();
        assertThat(operations).isNotEmpty();
        for (String key : operations) {
            Map<String, Object> operation = operation(key);
            assertThat((String) operation.get("summary")).as("summary of %s", key).isNotBlank();
            assertThat(responses(key).keySet()).as("a 2xx response of %s", key).anyMatch(code -> code.startsWith("2"));
            // Every endpoint requires a role (unannotated ones are denied): each answers 401 and 403.
            assertThat(description(key, 401)).as("401 of %s", key).contains("`unauthorized`");
            assertThat(description(key, 403)).as("403 of %s", key).contains("`forbidden`");
            if (operation.get("requestBody") != null) {
                assertThat(description(key, 400)).as("400 of %s, which takes a body", key)
                        .contains("`malformed-body`");
            }
            if (key.startsWith("post ") || key.startsWith("put ") || key.startsWith("delete ")) {
                assertThat(description(key, 429)).as("429 of %s, a change", key).contains("`rate-limited`");
            }
            Iterable<Map<String, Object>> parameters = (Iterable<Map<String, Object>>) operation.get("parameters");
            if (parameters != null) {
                for (Map<String, Object> parameter : parameters) {
                    assertThat((String) parameter.get("description"))
                            .as("description of parameter %s of %s", parameter.get("name"), key).isNotBlank();
                }
            }
        }
    }

    /**
     * Each row: an operation, a request it refuses (changing nothing), and the status: the problem type the service
     * answers must be one the document names for that status.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            get /api/v1/deployments                      | get  | /api/v1/deployments?status=NOT-A-STATUS        | 400
            get /api/v1/deployments                      | get  | /api/v1/deployments?from=yesterday             | 400
            get /api/v1/deployments                      | get  | /api/v1/deployments?size=0                     | 400
            get /api/v1/deployments/{id}                 | get  | /api/v1/deployments/not-a-uuid                 | 404
            get /api/v1/deployments/{id}/report          | get  | /api/v1/deployments/00000000-0000-0000-0000-000000000000/report | 404
            post /api/v1/deployments/{id}/approve        | post | /api/v1/deployments/00000000-0000-0000-0000-000000000000/approve | 404
            post /api/v1/deployments/{id}/promote        | post | /api/v1/deployments/00000000-0000-0000-0000-000000000000/promote | 404
            get /api/v1/services/{service}/summary       | get  | /api/v1/services/NOT_LOWERCASE/summary         | 400
            get /api/v1/services/{service}/summary       | get  | /api/v1/services/checkout/summary?environment=NO_SUCH | 400
            get /api/v1/deployment-policies/{service}/{environment} | get | /api/v1/deployment-policies/NOT_LOWERCASE/production | 400
            get /api/v1/services/{service}/environments/{environment} | get | /api/v1/services/openapi-nowhere/environments/nowhere | 404
            delete /api/v1/services/{service}/environments/{environment} | delete | /api/v1/services/openapi-nowhere/environments/nowhere | 404
            """)
    void theProblemTypeARefusedRequestGetsIsOneItsDocumentNames(String key, String method, String request,
            int status) {
        var spec = given().header("Authorization", TestTokens.authorization());
        if (method.equals("post")) {
            spec = spec.contentType("application/json").body("{}");
        }
        String type = spec.when().request(method.toUpperCase(), request)
                .then().statusCode(status).contentType("application/problem+json")
                .extract().jsonPath().getString("type");
        String slug = type.substring(type.lastIndexOf('/') + 1);
        assertThat(description(key, status)).as("%d of %s", status, key).contains("`" + slug + "`");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            post /api/v1/deployments | {"requestedBy": "someone-else"}
            put /api/v1/deployment-policies/{service}/{environment} | {"reason": "x", "changedBy": "someone-else"}
            put /api/v1/services/{service}/environments/{environment} | {"targetUrl": "http://127.0.0.1:1", "updatedBy": "x"}
            """)
    void aBodyWithAnUnknownFieldIsTheMalformedBodyTheDocumentNames(String key, String body) {
        String path = key.split(" ", 2)[1].replace("{service}", "openapi-nowhere")
                .replace("{environment}", "nowhere");
        String type = given().header("Authorization", TestTokens.authorization())
                .contentType("application/json").body(body)
                .when().request(key.split(" ", 2)[0].toUpperCase(), path)
                .then().statusCode(400).contentType("application/problem+json")
                .extract().jsonPath().getString("type");
        assertThat(type).endsWith("/malformed-body");
        assertThat(description(key, 400)).contains("`malformed-body`");
    }
}
