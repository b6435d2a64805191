package dev.rollwatch.console;

import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@QuarkusTestResource(value = FakeUpstreamResource.class, restrictToAnnotatedClass = true)
class ConsoleResourceTest {

    static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    @Test
    void configSaysPasteATokenWhenOidcIsNotConfigured() {
        given().when().get("/console/config")
                .then().statusCode(200)
                .body("oidc", equalTo(false))
                .body("version", not(emptyOrNullString()));
    }

    @Test
    void meDescribesAValidToken() {
        given().header("Authorization", TestTokens.builder().subject("alice").roles("deployer")
                        .services("checkout").bearer())
                .when().get("/console/me")
                .then().statusCode(200)
                .body("subject", equalTo("alice"))
                .body("roles", contains("deployer"))
                .body("services", contains("checkout"));
    }

    @Test
    void meSaysAllServicesForAWildcardOrAnAdminOnlyTokenAndNoneForOtherTokensWithoutClaim() {
        given().header("Authorization", TestTokens.authorization())
                .when().get("/console/me")
                .then().statusCode(200)
                .body("subject", equalTo(TestTokens.TEST_SUBJECT))
                .body("roles", contains("admin", "agent", "auditor", "deployer", "operator"))
                .body("services", nullValue());
        Response admin = given().header("Authorization",
                TestTokens.builder().subject("ada").roles("admin").bearer()).when().get("/console/me");
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.asString()).contains("\"services\":null");
        // Without a services claim every other token acts on no service (scope fails closed, as the services rule).
        for (List<String> roles : List.of(List.of("operator"), List.of("deployer"), List.of("admin", "operator"))) {
            given().header("Authorization", TestTokens.builder().subject("dan").roles(roles)
                    .bearer()).when().get("/console/me")
                    .then().statusCode(200).body("services.size()", equalTo(0));
        }
    }

    @Test
    void meIs401ProblemWithoutAValidToken() {
        for (String authorization : List.of("", "Bearer ", "Bearer not-a-jwt",
                TestTokens.otherKey().roles("operator").bearer(),
                TestTokens.builder().roles("operator").expired(Duration.ofMinutes(5)).bearer(),
                TestTokens.builder().roles("operator").audience("someone-else").bearer(),
                TestTokens.builder().roles("operator").issuer("elsewhere").bearer())) {
            var request = given();
            if (!authorization.isEmpty()) {
                request.header("Authorization", authorization);
            }
            Response response = request.when().get("/console/me");
            assertThat(response.statusCode()).as(authorization).isEqualTo(401);
            assertThat(response.contentType()).isEqualTo("application/problem+json");
            assertThat(response.jsonPath().getString("type")).isEqualTo("https://rollwatch.dev/problems/unauthorized");
            assertThat(response.jsonPath().getInt("status")).isEqualTo(401);
            assertThat(response.jsonPath().getString("title")).isEqualTo("Unauthorized");
            assertThat(response.jsonPath().getString("detail")).isNotBlank();
        }
    }

    @Test
    void loginAndLogoutAre404WhenOidcIsNotConfigured() {
        for (String path : List.of("/console/login", "/console/logout")) {
            Response response = given().redirects().follow(false).when().get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.contentType()).as(path).isEqualTo("application/problem+json");
            assertThat(response.jsonPath().getString("type")).as(path).endsWith("/oidc-not-configured");
        }
    }

    @Test
    void thePageAndItsAssetsCarryTheSecurityHeaders() {
        for (String path : List.of("/", "/index.html", "/console/config",
                "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js")) {
            Response response = given().when().get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.header("Content-Security-Policy")).as(path).isEqualTo(CSP);
            assertThat(response.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(response.header("Referrer-Policy")).as(path).isEqualTo("no-referrer");
        }
        assertThat(given().when().get("/").asString()).containsIgnoringCase("<html");
    }

    @Test
    void servesUplotFromTheWebjar() {
        Response js = given().when().get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.contentType()).contains("javascript");
        assertThat(js.asString()).contains("uPlot");
        Response css = given().when().get("/webjars/uplot/1.6.30/dist/uPlot.min.css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.contentType()).contains("text/css");
    }

    @Test
    void healthAndMetricsAreServed() {
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
    }
}
