package dev.rollwatch.rollback;

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
        contract().assertRefusalDocumented(key, method, request, body.equals("-") ? null : body, status);
    }
}
