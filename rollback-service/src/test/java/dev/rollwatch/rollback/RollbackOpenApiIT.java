package dev.rollwatch.rollback;

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
 * The OpenAPI document at /q/openapi is rollback-service's API contract (issue 19, 6: the README only lists the
 * endpoints). Every operation under /api has a summary, a 2xx, the 401 and 403 every endpoint answers (each naming
 * its problem type), the 400 of an operation that takes a body, the 429 of a change, and a description of each
 * parameter; an endpoint added without them fails here. A request the service refuses gets a problem type its
 * document names.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class RollbackOpenApiIT {

    /** The operations of the README's table: each must be in the document (more may be, if documented). */
    private static final Set<String> KNOWN = Set.of(
            "get /api/v1/policies",
            "get /api/v1/policies/{service}/{environment}",
            "get /api/v1/policies/{service}/{environment}/versions",
            "put /api/v1/policies/{service}/{environment}",
            "get /api/v1/decisions",
            "get /api/v1/decisions/{id}",
            "post /api/v1/decisions/{id}/resolve",
            "post /api/v1/decisions/{id}/acknowledge",
            "get /api/v1/policy-packs",
            "get /api/v1/policy-packs/{name}",
            "get /api/v1/deployments/{id}",
            "post /api/v1/deployments/{id}/rollback",
            "get /api/v1/services/{service}/environments/{environment}/last-known-good");

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
     * Each row: an operation, a request it refuses (changing nothing), its body (- for none) and the status: the
     * problem type the service answers must be one the document names for that status.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            get /api/v1/decisions                        | get  | /api/v1/decisions?page=-1              | -  | 400
            get /api/v1/decisions                        | get  | /api/v1/decisions?size=0               | -  | 400
            get /api/v1/decisions                        | get  | /api/v1/decisions?action=MAYBE         | -  | 400
            get /api/v1/decisions/{id}                   | get  | /api/v1/decisions/not-a-uuid           | -  | 404
            post /api/v1/decisions/{id}/acknowledge      | post | /api/v1/decisions/00000000-0000-0000-0000-000000000000/acknowledge | - | 404
            post /api/v1/decisions/{id}/resolve          | post | /api/v1/decisions/00000000-0000-0000-0000-000000000000/resolve | {"action": "HOLD", "reason": "x"} | 404
            post /api/v1/decisions/{id}/resolve          | post | /api/v1/decisions/00000000-0000-0000-0000-000000000000/resolve | {"action": "MAYBE", "reason": "x"} | 400
            post /api/v1/decisions/{id}/resolve          | post | /api/v1/decisions/00000000-0000-0000-0000-000000000000/resolve | {"action": "HOLD", "reason": "x", "resolvedBy": "x"} | 400
            get /api/v1/deployments/{id}                 | get  | /api/v1/deployments/openapi-no-such-deployment | - | 404
            post /api/v1/deployments/{id}/rollback       | post | /api/v1/deployments/openapi-no-such-deployment/rollback | {"reason": "x"} | 404
            post /api/v1/deployments/{id}/rollback       | post | /api/v1/deployments/openapi-no-such-deployment/rollback | {"reason": ""} | 400
            post /api/v1/deployments/{id}/rollback       | post | /api/v1/deployments/openapi-no-such-deployment/rollback | {"reason": "x", "requestedBy": "x"} | 400
            get /api/v1/services/{service}/environments/{environment}/last-known-good | get | /api/v1/services/openapi-nowhere/environments/nowhere/last-known-good | - | 404
            get /api/v1/policy-packs/{name}              | get  | /api/v1/policy-packs/no-such-pack      | -  | 404
            get /api/v1/policies/{service}/{environment}/versions | get | /api/v1/policies/openapi-nowhere/nowhere/versions | - | 404
            put /api/v1/policies/{service}/{environment} | put  | /api/v1/policies/NOT_LOWERCASE/nowhere | {"reason": "x"} | 400
            put /api/v1/policies/{service}/{environment} | put  | /api/v1/policies/openapi-nowhere/nowhere | {"reason": "x", "repeatCount": 0} | 400
            put /api/v1/policies/{service}/{environment} | put  | /api/v1/policies/openapi-nowhere/nowhere | {"repeatCount": 3} | 400
            put /api/v1/policies/{service}/{environment} | put  | /api/v1/policies/openapi-nowhere/nowhere | {"reason": "x", "changedBy": "x"} | 400
            """)
    void theProblemTypeARefusedRequestGetsIsOneItsDocumentNames(String key, String method, String request,
            String body, int status) {
        var spec = given().header("Authorization", TestTokens.authorization());
        if (!body.equals("-")) {
            spec = spec.contentType("application/json").body(body);
        }
        String type = spec.when().request(method.toUpperCase(), request)
                .then().statusCode(status).contentType("application/problem+json")
                .extract().jsonPath().getString("type");
        String slug = type.substring(type.lastIndexOf('/') + 1);
        assertThat(description(key, status)).as("%d of %s", status, key).contains("`" + slug + "`");
    }

}
