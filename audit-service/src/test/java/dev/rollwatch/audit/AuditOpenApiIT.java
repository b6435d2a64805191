package dev.rollwatch.audit;

import dev.rollwatch.testsupport.OpenApiContract;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Set;

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

    private static OpenApiContract contract() {
        return OpenApiContract.current();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAuditOperationIsListedWithASummaryATagAndItsAuthenticationProblems() {
        assertThat(contract().operationsUnder("/api/v1/audit"))
                .containsExactlyInAnyOrderElementsOf(AUDIT_OPERATIONS);

        for (String key : AUDIT_OPERATIONS) {
            Map<String, Object> operation = contract().operation(key);
            assertThat((String) operation.get("summary")).as("summary of %s", key).isNotBlank();
            assertThat((String) operation.get("description")).as("description of %s", key).contains("auditor");
            assertThat((Iterable<String>) operation.get("tags")).as("tags of %s", key).isNotEmpty();
            assertThat(contract().description(key, 401)).as("401 of %s", key).contains("`unauthorized`");
            assertThat(contract().mediaTypes(key, 401)).as("401 of %s", key).contains("application/problem+json");
            assertThat(contract().description(key, 403)).as("403 of %s", key).contains("`forbidden`");
        }
    }

    /**
     * Every operation of the service, those added later included: a summary, a 2xx, the 401 and 403 (with the problem
     * types the service answers), a 400 naming `malformed-body` when it takes a body, and a description of every
     * parameter.
     */
    @Test
    void everyOperationDocumentsItsSummaryItsSuccessAndItsRefusals() {
        assertThat(contract().operations()).as("operations in the OpenAPI document")
                .containsAll(AUDIT_OPERATIONS).containsAll(DEAD_LETTER_OPERATIONS);
        contract().assertComplete(OpenApiContract.Rules.everyOperation());
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
        contract().assertRefusalDocumented(key, "get", request, null, status);
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
        contract().assertRefusalDocumented("post /api/v1/audit/replays", "post", "/api/v1/audit/replays", body,
                status);
    }
}
