package dev.rollwatch.platform.it;

import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @ServiceScoped}: the owner of the object a path parameter names must be one of the caller's services, else
 * 403 {@code forbidden-service} before the method runs; and the answers that came before the check when each method
 * made it itself still come first (401, 403 {@code forbidden}, 400 for the body), while an id that names nothing
 * reaches the method for its own 400 or 404.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class ServiceScopeIT {

    private static final String TYPE = "https://rollwatch.dev/problems/";

    private static String token(String role, String... services) {
        TestTokens.Builder b = TestTokens.builder().subject("scope-it").roles(role);
        if (services.length > 0) {
            b.services(services);
        }
        return b.bearer();
    }

    private static Response get(String path, String authorization) {
        return given().header("Authorization", authorization).get(path);
    }

    private static Response change(String id, String body, String authorization) {
        return given().header("Authorization", authorization).contentType("application/json").body(body)
                .post("/it/things/" + id + "/change");
    }

    private static void answers(Response r, int status, String type) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
        if (type != null) {
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.jsonPath().getString("type")).isEqualTo(TYPE + type);
        }
    }

    @BeforeEach
    void clear() {
        ServiceScopeItResource.INVOKED.clear();
    }

    @Test
    void anObjectOfAnotherServiceIsRefusedBeforeTheMethodRuns() {
        String checkout = token("deployer", "checkout");
        answers(get("/it/things/t-1", checkout), 200, null);
        Response other = get("/it/things/t-2", checkout);
        answers(other, 403, "forbidden-service");
        assertThat(other.jsonPath().getString("detail"))
                .isEqualTo("this token does not allow acting on service 'billing'");
        assertThat(other.asString()).doesNotContain("t-2 of");
        // No claim: no service (failing closed); every service: both.
        answers(get("/it/things/t-1", token("deployer")), 403, "forbidden-service");
        String all = token("deployer", "*");
        answers(get("/it/things/t-1", all), 200, null);
        answers(get("/it/things/t-2", all), 200, null);
        assertThat(ServiceScopeItResource.INVOKED).containsExactly("get t-1", "get t-1", "get t-2");
    }

    @Test
    void aServiceNameIsItsOwnOwner() {
        String checkout = token("operator", "checkout");
        answers(get("/it/things/of/checkout", checkout), 200, null);
        answers(get("/it/things/of/billing", checkout), 403, "forbidden-service");
        assertThat(ServiceScopeItResource.INVOKED).containsExactly("of checkout");
    }

    @Test
    void anIdThatNamesNothingReachesTheMethodForItsOwnAnswer() {
        String checkout = token("deployer", "checkout");
        answers(get("/it/things/x-9", checkout), 400, "invalid-id");
        answers(get("/it/things/t-9", checkout), 404, "not-found");
        answers(get("/it/things/t-9", token("deployer")), 404, "not-found");
    }

    @Test
    void authenticationRolesAndTheBodyAreAnsweredFirst() {
        answers(get("/it/things/t-2", "none"), 401, "unauthorized");
        // Without the role: 403 forbidden, whatever the scope.
        answers(change("t-2", "{\"reason\": \"x\"}", token("deployer", "checkout")), 403, "forbidden");
        String checkout = token("operator", "checkout");
        // The body is read and validated before the scope is checked, as when each method checked it itself.
        answers(change("t-2", "{\"reason\": ", checkout), 400, "malformed-body");
        answers(change("t-2", "{\"reason\": \"\"}", checkout), 400, "validation");
        answers(change("t-2", "{\"reason\": \"x\"}", checkout), 403, "forbidden-service");
        answers(change("t-1", "{\"reason\": \"x\"}", checkout), 200, null);
        assertThat(ServiceScopeItResource.INVOKED).isEqualTo(List.of("change t-1"));
    }
}
