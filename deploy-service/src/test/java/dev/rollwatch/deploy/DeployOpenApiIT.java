package dev.rollwatch.deploy;

import dev.rollwatch.testsupport.OpenApiContract;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Set;

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

    private static OpenApiContract contract() {
        return OpenApiContract.current();
    }

    @Test
    void everyEndpointOfTheReadmeIsInTheDocument() {
        assertThat(contract().operationsUnder("/api/")).containsAll(KNOWN);
    }

    @Test
    void everyOperationHasASummaryA2xxAndItsRefusals() {
        // Every endpoint requires a role (unannotated ones are denied): each answers 401 and 403; a change may 429.
        contract().assertComplete(OpenApiContract.Rules.everyOperation().under("/api/").changesRateLimited());
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
        contract().assertRefusalDocumented(key, method, request, method.equals("post") ? "{}" : null, status);
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
        String type = contract().assertRefusalDocumented(key, key.split(" ", 2)[0], path, body, 400);
        assertThat(type).endsWith("/malformed-body");
    }
}
