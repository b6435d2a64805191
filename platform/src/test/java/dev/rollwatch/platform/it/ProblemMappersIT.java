package dev.rollwatch.platform.it;

import dev.rollwatch.testsupport.LogCapture;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way a request fails in a service built on platform answers RFC 9457 problem+json with the status and type a
 * client can act on, and nothing of the server's insides: no stack trace, no class name, no exception message.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class ProblemMappersIT {

    private static final String TYPE = "https://rollwatch.dev/problems/";

    /** The response's problem object, checked for what every problem must be. */
    private static Map<String, Object> problem(Response r, int status, String type) {
        String body = r.asString();
        assertThat(r.statusCode()).as(body).isEqualTo(status);
        assertThat(r.contentType()).as(body).startsWith("application/problem+json");
        Map<String, Object> problem = r.jsonPath().getMap("");
        assertThat(problem).containsEntry("type", TYPE + type).containsEntry("status", status)
                .containsKeys("title", "detail");
        assertThat(body).as("internals in the problem")
                .doesNotContainIgnoringCase("exception").doesNotContain("dev.rollwatch").doesNotContain("java.")
                .doesNotContain("com.fasterxml").doesNotContain("org.hibernate").doesNotContain("\tat ")
                .doesNotContain(ProblemsItResource.INTERNAL_DETAIL).doesNotContainIgnoringCase("stack");
        return problem;
    }

    private static Response postJson(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).post(path);
    }

    @Test
    void aProblemExceptionKeepsItsStatusTypeDetailAndExtensions() {
        Map<String, Object> p = problem(given().get("/it/problems/conflict/d-42"), 409, "deployment-active");
        assertThat(p).containsEntry("title", "Conflict").containsEntry("detail", "deployment d-42 is still running")
                .containsEntry("deploymentId", "d-42");
        assertThat(p.keySet()).containsExactlyInAnyOrder("type", "title", "status", "detail", "deploymentId");
    }

    @Test
    void aValidationFailureNamesTheFieldsNotTheMethod() {
        Map<String, Object> p = problem(postJson("/it/problems/validated", "{\"service\": \" \", \"weight\": 101}"),
                400, "validation");
        assertThat(p.get("detail")).isEqualTo("service must not be blank; weight must be less than or equal to 100");
        assertThat(p.get("errors")).isEqualTo(List.of(
                Map.of("field", "service", "message", "must not be blank"),
                Map.of("field", "weight", "message", "must be less than or equal to 100")));
        assertThat(p.toString()).doesNotContain("validated").doesNotContain("create");
        // The same body made valid passes.
        assertThat(postJson("/it/problems/validated", "{\"service\": \"checkout\", \"weight\": 100}").statusCode())
                .isEqualTo(200);
    }

    @Test
    void malformedJsonIsAMalformedBodyProblem() {
        for (String body : List.of("{\"service\": ", "{service: \"a\"}", "not json", "{\"service\": \"a\",}")) {
            Map<String, Object> p = problem(postJson("/it/problems/validated", body), 400, "malformed-body");
            assertThat(p).as(body).containsEntry("title", "Malformed request body");
            assertThat((String) p.get("detail")).as(body).startsWith("the body is not valid JSON");
        }
    }

    @Test
    void anUnknownFieldIsRefusedByName() {
        Map<String, Object> p = problem(postJson("/it/problems/validated",
                "{\"service\": \"a\", \"weight\": 5, \"requestedBy\": \"the-cto\"}"), 400, "malformed-body");
        assertThat(p).containsEntry("detail", "unknown field 'requestedBy' at 'requestedBy'");
        assertThat(p.toString()).doesNotContain("the-cto");
        p = problem(postJson("/it/commands", "{\"nested\": {\"name\": \"a\", \"admin\": true}}"), 400, "malformed-body");
        assertThat(p).containsEntry("detail", "unknown field 'admin' at 'nested.admin'");
    }

    @Test
    void notFoundIsAProblemForAMissingObjectAndForAPathNoEndpointServes() {
        Map<String, Object> p = problem(given().get("/it/problems/deployments/d-404"), 404, "not-found");
        assertThat(p).containsEntry("detail", "deployment d-404 does not exist");
        problem(given().get("/it/problems/no-such-endpoint"), 404, "not-found");
    }

    @Test
    void anUnexpectedExceptionIsA500WithAnErrorIdAndTheDetailOnlyInTheLog() {
        LogCapture log = LogCapture.start();
        try {
            Map<String, Object> p = problem(given().get("/it/problems/unexpected"), 500, "internal");
            assertThat(p.keySet()).isEqualTo(Set.of("type", "title", "status", "detail", "errorId"));
            String errorId = (String) p.get("errorId");
            assertThat((String) p.get("detail")).contains(errorId);
            // The operators find the cause by the id the client quotes.
            assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains(errorId)
                    .contains(ProblemsItResource.INTERNAL_DETAIL));
        } finally {
            log.stop();
        }
    }
}
