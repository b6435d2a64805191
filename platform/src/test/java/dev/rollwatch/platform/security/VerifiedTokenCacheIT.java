package dev.rollwatch.platform.security;

import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A service built on platform verifies each bearer token once (the verified-token cache replaces smallrye-jwt's
 * principal factory) and still refuses what it refused before: a token signed by another key, an expired one, one
 * without the role.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class VerifiedTokenCacheIT {

    @Inject
    JWTCallerPrincipalFactory factory;

    static double hits() {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(l -> l.startsWith("rollwatch_token_cache_total{") && l.contains("result=\"hit\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void theServiceUsesTheCacheAndReusesAVerifiedToken() {
        assertThat(factory).isInstanceOf(VerifiedTokenCache.class);
        String token = TestTokens.builder().subject("alice").roles("deployer").mint();
        double before = hits();
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(token).get("/it/token-cache/whoami").then().statusCode(200).body(equalTo("alice"));
        }
        assertThat(hits() - before).isEqualTo(2);
    }

    @Test
    void whatWasRefusedIsStillRefusedEveryTime() {
        String forged = TestTokens.otherKey().subject("mallory").roles("deployer").mint();
        String expired = TestTokens.builder().subject("alice").roles("deployer").expired(Duration.ofMinutes(5)).mint();
        String auditor = TestTokens.builder().subject("carol").roles("auditor").mint();
        double before = hits();
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(forged).get("/it/token-cache/whoami").then().statusCode(401);
            given().auth().oauth2(expired).get("/it/token-cache/whoami").then().statusCode(401);
            given().auth().oauth2(auditor).get("/it/token-cache/whoami").then().statusCode(403);
        }
        // Only the auditor's (valid) token was kept and reused; its role still does not let it in.
        assertThat(hits() - before).isEqualTo(1);
    }
}
