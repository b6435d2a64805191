package dev.rollwatch.notifier;

import dev.rollwatch.events.webhook.StandardWebhooks;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static dev.rollwatch.notifier.Alerts.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * SSRF: with the outbound policy of the {@code prod} profile (https only, loopback not allowed, as
 * application.properties sets it for {@code java -jar}), channel URLs that resolve to loopback or to the cloud
 * metadata service are refused with problem+json and nothing is stored.
 */
@QuarkusTest
@TestProfile(ProductionOutboundPolicyIT.ProductionProfile.class)
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class ProductionOutboundPolicyIT {

    /** The real {@code prod} profile: the %prod outbound settings apply exactly as in production. */
    public static class ProductionProfile implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }

        /**
         * The production defaults, whatever the shell exports: {@code ./rollwatch} exports
         * ROLLWATCH_OUTBOUND_ALLOW_LOOPBACK=true for the local stack, and an environment variable outranks
         * application.properties.
         */
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rollwatch.outbound.allow-loopback", "false",
                    "rollwatch.outbound.require-https", "true",
                    "rollwatch.outbound.allowed", "");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "webhook | https://localhost:8443/hook                  | a loopback address",
            "webhook | https://127.0.0.1/hook                       | a loopback address 127.0.0.1",
            "webhook | https://169.254.169.254/latest/meta-data/    | a link-local address 169.254.169.254",
            "slack   | https://127.0.0.1:9/services/T0/B0/x         | a loopback address 127.0.0.1",
            "teams   | https://169.254.169.254/workflows/x          | a link-local address 169.254.169.254",
            "webhook | https://metadata.google.internal/computeMetadata/v1/ | a cloud metadata service",
            "slack   | http://hooks.slack.com/services/T0/B0/x      | only https"})
    void internalDestinationsAreRefusedAndNothingIsStored(String type, String url, String reason) {
        String name = unique("ssrf");
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "type", type, "url", url));
        if (type.equals("webhook")) {
            body.put("secret", StandardWebhooks.newSecret());
        }
        given().contentType(ContentType.JSON).body(body).post("/api/v1/channels")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(AdminApiIT.PROBLEM + "destination-refused"))
                .body("detail", containsString(reason));
        given().get("/api/v1/channels/" + name).then().statusCode(404);
        given().get("/api/v1/channels").then().statusCode(200).body(not(containsString(name)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"https://localhost/hook", "https://169.254.169.254/latest/meta-data/"})
    void anExistingChannelCannotBeRepointedAtAnInternalDestination(String url) {
        String name = unique("pd");
        given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "type", "pagerduty", "secret", "R0UT1NGKEY0123456789abcdefABCDEF"))
                .post("/api/v1/channels").then().statusCode(201);
        // with its secret (a url never moves without it), so that the destination is what is refused
        given().contentType(ContentType.JSON)
                .body(Map.of("url", url, "secret", "N3WR0UT1NGKEY0123456789abcdefABCD"))
                .put("/api/v1/channels/" + name)
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(AdminApiIT.PROBLEM + "destination-refused"));
        given().get("/api/v1/channels/" + name).then().statusCode(200)
                .body("url", equalTo("https://events.pagerduty.com/v2/enqueue"));
        given().delete("/api/v1/channels/" + name).then().statusCode(204);
    }
}
