package dev.rollwatch.deploy;

import dev.rollwatch.testsupport.TestTokens;
import io.restassured.http.ContentType;

import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Starting and following deployments over the API, against the shared target stub. */
final class Rollouts {

    static final Duration WAIT = Duration.ofSeconds(30);

    private Rollouts() {
    }

    static String uniqueService(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String body(String service, String environment, String stepsJson) {
        return """
                {"service": "%s", "environment": "%s", "version": "2.4.0", "previousVersion": "2.3.0",
                 "target": {"type": "http", "url": "%s"},
                 "strategy": {"steps": %s}}""".formatted(service, environment, TargetStub.shared().url(), stepsJson);
    }

    static String start(String service, String stepsJson) {
        return start(service, "production", stepsJson);
    }

    static String start(String service, String environment, String stepsJson) {
        return given().header("Authorization", as("alice")).contentType(ContentType.JSON)
                .body(body(service, environment, stepsJson))
                .when().post("/api/v1/deployments")
                .then().statusCode(202).extract().path("id");
    }

    static void awaitStatus(String id, String status) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                given().when().get("/api/v1/deployments/" + id).then().body("status", equalTo(status)));
    }

    /** The body of approve, abort and promote: only why; who is the token's subject ({@link #as}). */
    static String decision(String reason) {
        return "{\"reason\": \"" + reason + "\"}";
    }

    /** An Authorization header for {@code subject} as a deployer and operator of every service. */
    static String as(String subject) {
        return TestTokens.builder().subject(subject).roles("deployer", "operator").services("*").bearer();
    }
}
