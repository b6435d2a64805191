package dev.rollwatch.notifier;

import dev.rollwatch.events.webhook.StandardWebhooks;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static dev.rollwatch.notifier.Alerts.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Channels and routes over REST: defaults as data, validation as problem+json, nothing half-written. */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class AdminApiIT {

    static final String PROBLEM = "https://rollwatch.dev/problems/";

    @Test
    void theLogChannelAndTheRunbookRoutesExistOutOfTheBox() {
        given().get("/api/v1/channels/log").then().statusCode(200)
                .body("type", equalTo("log")).body("builtin", equalTo(true)).body("enabled", equalTo(true));
        given().get("/api/v1/routes/p1-breach").then().statusCode(200)
                .body("eventType", equalTo("threshold-breached")).body("severity", equalTo("P1"))
                .body("channels", contains("pagerduty", "slack"));
        given().get("/api/v1/routes").then().statusCode(200)
                .body("name", hasItem("p2-breach"))
                .body("find { it.name == 'p2-breach' }.channels", contains("slack", "oncall-webhook"))
                .body("find { it.name == 'rollback-escalation' }.channels", contains("pagerduty", "slack"))
                .body("find { it.name == 'deployment-finished' }.channels", contains("slack"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown type            | carrier-pigeon | http://127.0.0.1:9/x          | -      | unknown-channel-type",
            "log is built in only    | log            | http://127.0.0.1:9/x          | -      | unknown-channel-type",
            "webhook without secret  | webhook        | http://127.0.0.1:9/x          | -      | missing-secret",
            "webhook with bad secret | webhook        | http://127.0.0.1:9/x          | short  | invalid-secret",
            "slack with a secret     | slack          | http://127.0.0.1:9/x          | GOOD   | unexpected-secret",
            "no url                  | slack          | -                             | -      | missing-url",
            "metadata service        | webhook        | http://169.254.169.254/latest | GOOD   | destination-refused",
            "private network         | slack          | https://10.0.0.8/hook         | -      | destination-refused",
            "not http                | slack          | ftp://127.0.0.1/hook          | -      | destination-refused",
            "credentials in url      | slack          | http://u:p@127.0.0.1/hook     | -      | destination-refused",
            "pagerduty without key   | pagerduty      | -                             | -      | missing-secret",
            "pagerduty bad key       | pagerduty      | http://127.0.0.1:9/x          | short  | invalid-secret",
            "pagerduty metadata url  | pagerduty      | http://169.254.169.254/x      | -      | destination-refused",
            "teams with a secret     | teams          | http://127.0.0.1:9/x          | GOOD   | unexpected-secret",
            "teams without url       | teams          | -                             | -      | missing-url",
            "email not mailto        | email          | http://127.0.0.1:9/x          | -      | invalid-destination",
            "email bad address       | email          | mailto:nobody                 | -      | invalid-destination",
            "email with a secret     | email          | mailto:a@example.com          | GOOD   | unexpected-secret"})
    void invalidChannelsGetProblemDetailsAndNothingIsWritten(String why, String type, String url, String secret,
            String problem) {
        String name = unique("bad");
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name, "type", type));
        if (!"-".equals(url)) {
            body.put("url", url);
        }
        if ("GOOD".equals(secret)) {
            body.put("secret", StandardWebhooks.newSecret());
        } else if (!"-".equals(secret)) {
            body.put("secret", secret);
        }
        given().contentType(ContentType.JSON).body(body).post("/api/v1/channels")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + problem));
        given().get("/api/v1/channels/" + name).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void channelNamesAreValidatedAndUnique() {
        given().contentType(ContentType.JSON).body(Map.of("name", "Has Spaces", "type", "slack",
                "url", "http://127.0.0.1:9/x")).post("/api/v1/channels")
                .then().statusCode(400).body("type", equalTo(PROBLEM + "validation"))
                .body("errors.field", hasItem("name"));
        String name = unique("dup");
        Map<String, Object> body = Map.of("name", name, "type", "slack", "url", "http://127.0.0.1:9/x");
        given().contentType(ContentType.JSON).body(body).post("/api/v1/channels").then().statusCode(201);
        given().contentType(ContentType.JSON).body(body).post("/api/v1/channels")
                .then().statusCode(409).body("type", equalTo(PROBLEM + "channel-exists"));
        given().delete("/api/v1/channels/" + name).then().statusCode(204);
        given().get("/api/v1/channels/" + name).then().statusCode(404);
    }

    @Test
    void theBuiltInLogChannelCannotBeChangedOrDeleted() {
        given().delete("/api/v1/channels/log").then().statusCode(409)
                .body("type", equalTo(PROBLEM + "builtin-channel"));
        given().contentType(ContentType.JSON).body(Map.of("enabled", false)).put("/api/v1/channels/log")
                .then().statusCode(409);
        given().get("/api/v1/channels/log").then().body("enabled", equalTo(true));
    }

    @Test
    void aChannelUpdateIsValidatedLikeACreate() {
        String name = unique("upd");
        given().contentType(ContentType.JSON).body(Map.of("name", name, "type", "slack",
                "url", "http://127.0.0.1:9/a")).post("/api/v1/channels").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("url", "http://169.254.169.254/")).put("/api/v1/channels/"
                + name).then().statusCode(400).body("type", equalTo(PROBLEM + "destination-refused"));
        given().contentType(ContentType.JSON).body(Map.of("enabled", false)).put("/api/v1/channels/" + name)
                .then().statusCode(200).body("enabled", equalTo(false))
                .body("disabledReason", containsString("administrator"));
    }

    @Test
    void routesCanBeAddedReplacedAndDeleted() {
        String name = unique("route");
        given().contentType(ContentType.JSON).body(Map.of("name", name, "eventType", "deployment-finished",
                "environment", "production", "channels", List.of("team-a")))
                .post("/api/v1/routes").then().statusCode(201)
                .header("Location", containsString("/api/v1/routes/" + name))
                .body("channels", contains("team-a")).body("builtin", equalTo(false));
        given().contentType(ContentType.JSON).body(Map.of("severity", "P2", "channels", List.of("team-b", "team-c")))
                .put("/api/v1/routes/" + name).then().statusCode(200)
                .body("eventType", equalTo(null)).body("severity", equalTo("P2"))
                .body("channels", contains("team-b", "team-c"));
        given().get("/api/v1/routes/" + name).then().body("channels", contains("team-b", "team-c"));
        given().delete("/api/v1/routes/" + name).then().statusCode(204);
        given().get("/api/v1/routes/" + name).then().statusCode(404);
    }

    @Test
    void invalidRoutesGetProblemDetailsAndNothingIsWritten() {
        String name = unique("badroute");
        given().contentType(ContentType.JSON).body(Map.of("name", name, "eventType", "coffee-spilled",
                "channels", List.of("slack"))).post("/api/v1/routes")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "unknown-event-type"));
        given().contentType(ContentType.JSON).body(Map.of("name", name, "channels", List.of()))
                .post("/api/v1/routes").then().statusCode(400).body("type", equalTo(PROBLEM + "validation"))
                .body("errors.field", hasItem("channels"));
        given().contentType(ContentType.JSON).body(Map.of("name", name, "severity", "P9",
                "channels", List.of("slack"))).post("/api/v1/routes")
                .then().statusCode(400).body("type", equalTo(PROBLEM + "malformed-body"));
        given().contentType(ContentType.JSON).body(Map.of("name", name, "channels", List.of("Not A Name")))
                .post("/api/v1/routes").then().statusCode(400).body("type", equalTo(PROBLEM + "validation"));
        given().get("/api/v1/routes/" + name).then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("name", "p1-breach", "channels", List.of("x")))
                .post("/api/v1/routes").then().statusCode(409).body("type", equalTo(PROBLEM + "route-exists"));
        given().contentType(ContentType.JSON).body(Map.of("name", "other", "channels", List.of("x")))
                .put("/api/v1/routes/p1-breach").then().statusCode(400)
                .body("type", equalTo(PROBLEM + "name-mismatch"));
        given().get("/api/v1/routes/p1-breach").then().body("channels", contains("pagerduty", "slack"));
    }
}
