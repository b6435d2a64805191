package dev.rollwatch.notifier;

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
        contract().assertRefusalDocumented(key, methodAndPath[0], methodAndPath[1], body, status);
    }
}
