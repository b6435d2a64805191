package dev.rollwatch.demotarget.rest;

import dev.rollwatch.events.webhook.StandardWebhooks;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Driver calls as the deploy service's http driver sends them. */
final class DriverCalls {

    private DriverCalls() {
    }

    static String uniqueService() {
        return "svc-" + UUID.randomUUID();
    }

    static String webhookId() {
        return "msg_" + UUID.randomUUID();
    }

    static String traffic(String deploymentId, String service, String stable, String canary, Object weight) {
        return """
                {"deploymentId":"%s","service":"%s","environment":"production","stableVersion":"%s",\
                "canaryVersion":"%s","weight":%s}""".formatted(deploymentId, service, stable, canary, weight);
    }

    static String rollback(String deploymentId, String service, String toVersion) {
        return """
                {"deploymentId":"%s","service":"%s","environment":"production","toVersion":"%s"}"""
                .formatted(deploymentId, service, toVersion);
    }

    static String finalizeRollout(String deploymentId, String service, String version) {
        return """
                {"deploymentId":"%s","service":"%s","environment":"production","version":"%s"}"""
                .formatted(deploymentId, service, version);
    }

    /** An unsigned call that still carries a webhook id, as a driver without a secret sends it. */
    static RequestSpecification unsigned(String webhookId, String body) {
        return given().contentType(ContentType.JSON).header(StandardWebhooks.ID, webhookId)
                .body(body.getBytes(StandardCharsets.UTF_8));
    }

    /** A call signed with {@code secret} over exactly {@code body}. */
    static RequestSpecification signed(String secret, String webhookId, Instant timestamp, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return given().contentType(ContentType.JSON)
                .headers(new StandardWebhooks(secret).headers(webhookId, timestamp, bytes))
                .body(bytes);
    }
}
