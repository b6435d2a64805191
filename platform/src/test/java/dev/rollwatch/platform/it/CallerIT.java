package dev.rollwatch.platform.it;

import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Caller bean as the code behind an endpoint sees it, from a real signed token through platform's JWT
 * configuration; and the 401 and 403 a client gets when the token is missing, not trusted or short of the role.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class CallerIT {

    private static final String TYPE = "https://rollwatch.dev/problems/";

    private static Response whoAmI(String authorization) {
        return given().header("Authorization", authorization).get("/it/caller");
    }

    private static void refused(Response r, int status, String type) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.jsonPath().getString("type")).isEqualTo(TYPE + type);
        assertThat(r.jsonPath().getInt("status")).isEqualTo(status);
    }

    @Test
    void theCallerIsTheTokensSubjectRolesAndServices() {
        Response r = whoAmI(TestTokens.builder().subject("alice@example.com").roles("deployer", "operator")
                .services("checkout", "cart").bearer());
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getString("subject")).isEqualTo("alice@example.com");
        assertThat(r.jsonPath().getList("roles")).isEqualTo(List.of("deployer", "operator"));
        assertThat(r.jsonPath().getList("services")).isEqualTo(List.of("cart", "checkout"));

        // The claim as one string reads the same; "*" is every service.
        r = whoAmI(TestTokens.builder().subject("bob").roles("deployer").servicesAsString("checkout, cart").bearer());
        assertThat(r.jsonPath().getList("services")).isEqualTo(List.of("cart", "checkout"));
        r = whoAmI(TestTokens.builder().subject("carol").roles("deployer").services("*").bearer());
        assertThat(r.jsonPath().getList("services")).isEqualTo(List.of("*"));
    }

    @Test
    void theServicesClaimDecidesWhichObjectsTheCallerMayActOn() {
        String scoped = TestTokens.builder().subject("dana").roles("deployer").services("checkout").bearer();
        Response ok = given().header("Authorization", scoped).post("/it/caller/services/checkout");
        assertThat(ok.statusCode()).as(ok.asString()).isEqualTo(200);
        assertThat(ok.asString()).isEqualTo("acted on checkout as dana");
        Response other = given().header("Authorization", scoped).post("/it/caller/services/billing");
        refused(other, 403, "forbidden-service");
        assertThat(other.jsonPath().getString("detail")).isEqualTo(
                "this token does not allow acting on service 'billing'");

        // No claim (and no mapping): no service at all, failing closed.
        String unscoped = TestTokens.builder().subject("erin").roles("deployer").bearer();
        assertThat(whoAmI(unscoped).jsonPath().getList("services")).isEmpty();
        refused(given().header("Authorization", unscoped).post("/it/caller/services/checkout"), 403,
                "forbidden-service");
    }

    @Test
    void noTokenOrAnUntrustedOneIs401() {
        for (String authorization : List.of("none", TestTokens.otherKey().roles("deployer").services("*").bearer(),
                TestTokens.builder().roles("deployer").services("*").expired(Duration.ofMinutes(5)).bearer(),
                TestTokens.builder().roles("deployer").audience("someone-else").bearer(),
                TestTokens.builder().roles("deployer").issuer("someone-else").bearer(), "Bearer not-a-jwt")) {
            Response r = whoAmI(authorization);
            refused(r, 401, "unauthorized");
            assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(r.jsonPath().getString("detail")).as("never why the token was refused")
                    .isEqualTo("a valid bearer token is required (Authorization: Bearer <JWT>)");
        }
    }

    @Test
    void aTokenWithoutTheRoleIs403() {
        for (String role : List.of("auditor", "operator", "admin", "agent")) {
            Response r = whoAmI(TestTokens.builder().subject("frank").roles(role).services("*").bearer());
            refused(r, 403, "forbidden");
        }
        refused(whoAmI(TestTokens.builder().subject("frank").services("*").bearer()), 403, "forbidden");
    }
}
