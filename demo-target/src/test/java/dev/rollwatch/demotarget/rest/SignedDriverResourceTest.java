package dev.rollwatch.demotarget.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static dev.rollwatch.demotarget.rest.DriverCalls.finalizeRollout;
import static dev.rollwatch.demotarget.rest.DriverCalls.rollback;
import static dev.rollwatch.demotarget.rest.DriverCalls.signed;
import static dev.rollwatch.demotarget.rest.DriverCalls.traffic;
import static dev.rollwatch.demotarget.rest.DriverCalls.uniqueService;
import static dev.rollwatch.demotarget.rest.DriverCalls.unsigned;
import static dev.rollwatch.demotarget.rest.DriverCalls.webhookId;
import static dev.rollwatch.demotarget.rest.Problems.problem;
import static dev.rollwatch.demotarget.rest.SignedCallsProfile.OTHER_SECRET;
import static dev.rollwatch.demotarget.rest.SignedCallsProfile.SECRET;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** With a secret configured, only calls signed with it over their exact body are applied. */
@QuarkusTest
@TestProfile(SignedCallsProfile.class)
class SignedDriverResourceTest {

    @Test
    void aCorrectlySignedCallIsApplied() {
        String service = uniqueService();

        signed(SECRET, webhookId(), Instant.now(), traffic("dep-s1", service, "2.3.0", "2.4.0", 5))
                .post("/rollwatch/v1/traffic")
                .then().statusCode(200).body("weight", equalTo(5)).body("canaryVersion", equalTo("2.4.0"));
        signed(SECRET, webhookId(), Instant.now(), rollback("dep-s1", service, "2.3.0"))
                .post("/rollwatch/v1/rollback")
                .then().statusCode(200).body("weight", equalTo(0)).body("canaryVersion", nullValue());

        given().queryParam("deploymentId", "dep-s1").get("/rollwatch/v1/calls")
                .then().body("size()", equalTo(2));
    }

    @Test
    void unsignedTamperedOrWronglySignedCallsAreRefusedAndChangeNothing() {
        String service = uniqueService();
        signed(SECRET, webhookId(), Instant.now(), traffic("dep-s2", service, "2.3.0", "2.4.0", 5))
                .post("/rollwatch/v1/traffic").then().statusCode(200);
        String promote = traffic("dep-s2", service, "2.3.0", "2.4.0", 100);

        problem(unsigned(webhookId(), promote).post("/rollwatch/v1/traffic"), 401, "invalid-signature");
        problem(given().contentType(ContentType.JSON).body(promote).post("/rollwatch/v1/traffic"),
                401, "invalid-signature");
        problem(signed(OTHER_SECRET, webhookId(), Instant.now(), promote).post("/rollwatch/v1/traffic"),
                401, "invalid-signature")
                .body("detail", containsString("signature"));
        problem(tampered(webhookId(), traffic("dep-s2", service, "2.3.0", "2.4.0", 10), promote)
                .post("/rollwatch/v1/traffic"), 401, "invalid-signature");
        problem(signed(SECRET, webhookId(), Instant.now().minus(Duration.ofMinutes(10)), promote)
                .post("/rollwatch/v1/traffic"), 401, "invalid-signature")
                .body("detail", containsString("timestamp"));
        problem(signed(OTHER_SECRET, webhookId(), Instant.now(), rollback("dep-s2", service, "2.2.0"))
                .post("/rollwatch/v1/rollback"), 401, "invalid-signature");

        given().queryParam("service", service).get("/rollwatch/v1/state")
                .then().statusCode(200)
                .body("stableVersion", equalTo("2.3.0"))
                .body("canaryVersion", equalTo("2.4.0"))
                .body("weight", equalTo(5));
        given().queryParam("deploymentId", "dep-s2").get("/rollwatch/v1/calls")
                .then().body("size()", equalTo(1)).body("[0].body.weight", equalTo(5));
    }

    @Test
    void aSignatureIsCheckedBeforeTheBody() {
        problem(unsigned(webhookId(), traffic("dep-s3", uniqueService(), "2.3.0", "2.4.0", 500))
                .post("/rollwatch/v1/traffic"), 401, "invalid-signature");
    }

    @Test
    void aReplayedSignedCallIsAppliedOnce() {
        String service = uniqueService();
        String id = webhookId();
        Instant sentAt = Instant.now();
        String body = traffic("dep-s4", service, "2.3.0", "2.4.0", 25);
        signed(SECRET, id, sentAt, body).post("/rollwatch/v1/traffic").then().statusCode(200);
        signed(SECRET, webhookId(), Instant.now(), rollback("dep-s4", service, "2.3.0"))
                .post("/rollwatch/v1/rollback").then().statusCode(200);

        // The same signed message again (a retry, or someone replaying it) must not bring the canary back.
        signed(SECRET, id, sentAt, body).post("/rollwatch/v1/traffic")
                .then().statusCode(200).body("canaryVersion", nullValue()).body("weight", equalTo(0));

        given().queryParam("deploymentId", "dep-s4").get("/rollwatch/v1/calls")
                .then().body("size()", equalTo(2)).body("[0].deliveries", equalTo(2));
    }

    @Test
    void aCorrectlySignedFinalizeIsApplied() {
        String service = uniqueService();
        signed(SECRET, webhookId(), Instant.now(), traffic("dep-s5", service, "2.3.0", "2.4.0", 100))
                .post("/rollwatch/v1/traffic").then().statusCode(200);

        signed(SECRET, webhookId(), Instant.now(), finalizeRollout("dep-s5", service, "2.4.0"))
                .post("/rollwatch/v1/finalize")
                .then().statusCode(200)
                .body("stableVersion", equalTo("2.4.0")).body("canaryVersion", nullValue()).body("weight", equalTo(0));

        given().queryParam("deploymentId", "dep-s5").get("/rollwatch/v1/calls")
                .then().body("size()", equalTo(2)).body("[1].kind", equalTo("finalize"));
    }

    @Test
    void aFinalizeUnsignedTamperedOrWronglySignedIsRefusedAndChangesNothing() {
        String service = uniqueService();
        signed(SECRET, webhookId(), Instant.now(), traffic("dep-s6", service, "2.3.0", "2.4.0", 100))
                .post("/rollwatch/v1/traffic").then().statusCode(200);
        String finalizeBody = finalizeRollout("dep-s6", service, "2.4.0");

        problem(unsigned(webhookId(), finalizeBody).post("/rollwatch/v1/finalize"), 401, "invalid-signature");
        problem(signed(OTHER_SECRET, webhookId(), Instant.now(), finalizeBody).post("/rollwatch/v1/finalize"),
                401, "invalid-signature");
        problem(tampered(webhookId(), finalizeRollout("dep-s6", service, "2.3.0"), finalizeBody)
                .post("/rollwatch/v1/finalize"), 401, "invalid-signature");
        problem(signed(SECRET, webhookId(), Instant.now().minus(Duration.ofMinutes(10)), finalizeBody)
                .post("/rollwatch/v1/finalize"), 401, "invalid-signature");
        // The signature is checked before the body: an invalid body without a signature is a 401, not a 400.
        problem(unsigned(webhookId(), "{}").post("/rollwatch/v1/finalize"), 401, "invalid-signature");

        given().queryParam("service", service).get("/rollwatch/v1/state")
                .then().statusCode(200)
                .body("stableVersion", equalTo("2.3.0"))
                .body("canaryVersion", equalTo("2.4.0"))
                .body("weight", equalTo(100));
        given().queryParam("deploymentId", "dep-s6").get("/rollwatch/v1/calls")
                .then().body("size()", equalTo(1)).body("[0].kind", equalTo("traffic"));
    }

    @Test
    void aReplayedSignedFinalizeIsAppliedOnce() {
        String service = uniqueService();
        String id = webhookId();
        Instant sentAt = Instant.now();
        String body = finalizeRollout("dep-s7", service, "2.4.0");
        signed(SECRET, webhookId(), Instant.now(), traffic("dep-s7", service, "2.3.0", "2.4.0", 100))
                .post("/rollwatch/v1/traffic").then().statusCode(200);
        signed(SECRET, id, sentAt, body).post("/rollwatch/v1/finalize").then().statusCode(200);
        signed(SECRET, webhookId(), Instant.now(), traffic("dep-s8", service, "2.4.0", "2.5.0", 5))
                .post("/rollwatch/v1/traffic").then().statusCode(200);

        // The same signed message again must not take the next rollout's canary away.
        signed(SECRET, id, sentAt, body).post("/rollwatch/v1/finalize")
                .then().statusCode(200).body("canaryVersion", equalTo("2.5.0")).body("weight", equalTo(5));

        given().queryParam("deploymentId", "dep-s7").get("/rollwatch/v1/calls")
                .then().body("size()", equalTo(2)).body("[1].kind", equalTo("finalize"))
                .body("[1].deliveries", equalTo(2));
    }

    /** Headers signed over {@code signedBody}, but {@code sentBody} on the wire. */
    private static io.restassured.specification.RequestSpecification tampered(String id, String signedBody,
            String sentBody) {
        return signed(SECRET, id, Instant.now(), signedBody).body(sentBody.getBytes(StandardCharsets.UTF_8));
    }
}
