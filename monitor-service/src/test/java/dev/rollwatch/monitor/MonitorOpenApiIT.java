package dev.rollwatch.monitor;

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

    private static OpenApiContract contract() {
        return OpenApiContract.current();
    }

    @Test
    void everyEndpointIsInTheDocument() {
        assertThat(contract().operations()).containsExactlyInAnyOrderElementsOf(OPERATIONS);
    }

    @Test
    void everyOperationDocumentsItsSummaryItsSuccessAndItsRefusals() {
        // No operation of this service is public: every one documents its 401 and 403.
        contract().assertComplete(OpenApiContract.Rules.everyOperation());
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
        contract().assertRefusalDocumented(key, "post", key.substring(key.indexOf(' ') + 1), body, status);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            get /api/v1/deployments/{id}/analysis | /api/v1/deployments/no-such-watch/analysis | 404
            get /api/v1/deployments/{id}/series   | /api/v1/deployments/no-such-watch/series   | 404
            """)
    void theProblemTypeARefusedReadGetsIsOneItsDocumentNames(String key, String request, int status) {
        contract().assertRefusalDocumented(key, "get", request, null, status);
    }
}
