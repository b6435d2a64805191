package dev.rollwatch.deploy;

import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static dev.rollwatch.deploy.Rollouts.as;
import static dev.rollwatch.deploy.Rollouts.awaitStatus;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admission at POST /api/v1/deployments against deployment policies set over the API: a freeze and the environment
 * order refuse with 409 naming the rule, an operator's override with a reason is let through and recorded on the
 * deployment and in DeploymentStarted.override, a deployer's override is 403. Policies are set on services of this
 * test only (never '*'), so no other test is held up by them.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class AdmissionIT {

    private static final String QUICK = "[{\"setWeight\": 100}]";
    private static KafkaTestClient kafka;

    @BeforeAll
    static void setUp() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void tearDown() {
        kafka.close();
    }

    @Test
    void aFreezeRefusesWithItsReasonAndNextOpeningAndAnOperatorsOverrideIsRecorded() {
        String service = Rollouts.uniqueService("freeze");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant end = now.plus(Duration.ofHours(2));
        putPolicy(service, "production", """
                {"freezes": [{"from": "%s", "to": "%s", "reason": "incident INC-7 in progress"}],
                 "reason": "freeze while INC-7 is open"}""".formatted(now.minus(Duration.ofHours(1)), end))
                .then().statusCode(200);

        String deployer = TestTokens.builder().subject("dee").roles("deployer").services(service).bearer();
        Response refused = post(deployer, Rollouts.body(service, "production", QUICK));
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.jsonPath().getString("type"))
                .isEqualTo("https://rollwatch.dev/problems/outside-deployment-window");
        assertThat(refused.jsonPath().getString("freeze.reason")).isEqualTo("incident INC-7 in progress");
        assertThat(refused.jsonPath().getString("nextOpening")).isEqualTo(end.toString());
        assertThat(refused.jsonPath().getString("detail")).contains("frozen").contains("INC-7");
        assertThat(given().queryParam("service", service).when().get("/api/v1/deployments").then().statusCode(200)
                .extract().jsonPath().getInt("total")).as("nothing started").isZero();

        // A deployer cannot override, whatever the reason.
        Response forbidden = post(deployer, withOverride(Rollouts.body(service, "production", QUICK), "hotfix"));
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.jsonPath().getString("type")).isEqualTo("https://rollwatch.dev/problems/override-forbidden");

        // An operator (who also deploys) overrides with a reason: started, recorded, in the event.
        Response accepted = post(as("otto"), withOverride(Rollouts.body(service, "production", QUICK),
                "hotfix for INC-7 itself"));
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = accepted.jsonPath().getString("id");
        DeploymentStarted started = kafka.awaitEvent(Topics.DEPLOYMENT_STARTED, id, DeploymentStarted.class,
                Rollouts.WAIT).data();
        assertThat(started.requestedBy()).isEqualTo("otto");
        assertThat(started.override()).startsWith("hotfix for INC-7 itself").contains("outside-deployment-window")
                .contains("incident INC-7 in progress");
        awaitStatus(id, "SUCCEEDED");
        Map<String, Object> override = given().when().get("/api/v1/deployments/" + id + "/report").then()
                .statusCode(200).extract().jsonPath().getMap("override");
        assertThat(override).containsEntry("by", "otto").containsEntry("reason", "hotfix for INC-7 itself");
        assertThat(override.get("overridden").toString()).contains("outside-deployment-window");
    }

    @Test
    void productionRequiresTheVersionInStagingAndTheMostSpecificScopeWins() {
        String service = Rollouts.uniqueService("order");
        putPolicy(service, "production", """
                {"requires": [{"environment": "staging", "minAge": "24h"}], "reason": "runbook 002: staging > 24h"}""")
                .then().statusCode(200).body("version", org.hamcrest.Matchers.equalTo(1));

        Response never = post(as("alice"), Rollouts.body(service, "production", QUICK));
        assertThat(never.statusCode()).isEqualTo(409);
        assertThat(never.jsonPath().getString("type")).isEqualTo("https://rollwatch.dev/problems/environment-order");
        assertThat(never.jsonPath().getString("requiredEnvironment")).isEqualTo("staging");
        assertThat(never.jsonPath().getString("version")).isEqualTo("2.4.0");
        assertThat(never.jsonPath().getString("allowedFrom")).isNull();

        // Staging has no policy of its own: open.
        String staging = Rollouts.start(service, "staging", QUICK);
        awaitStatus(staging, "SUCCEEDED");
        Instant succeededAt = Instant.parse(given().when().get("/api/v1/deployments/" + staging).then()
                .extract().path("finishedAt"));

        Response tooSoon = post(as("alice"), Rollouts.body(service, "production", QUICK));
        assertThat(tooSoon.statusCode()).isEqualTo(409);
        assertThat(Instant.parse(tooSoon.jsonPath().getString("allowedFrom")))
                .isEqualTo(succeededAt.plus(Duration.ofHours(24)));
        assertThat(tooSoon.jsonPath().getString("detail")).contains("at least 24h before");

        // A new version of the policy (a shorter minAge) admits it; the view names the version and its author.
        putPolicy(service, "production", """
                {"requires": [{"environment": "staging", "minAge": "1s"}], "reason": "demo: short soak"}""")
                .then().statusCode(200).body("version", org.hamcrest.Matchers.equalTo(2))
                .body("changedBy", org.hamcrest.Matchers.equalTo("otto"));
        // The staging success must be at least 1 s old (on a fast machine the test gets here sooner).
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> Instant.now().isAfter(succeededAt.plus(Duration.ofMillis(1200))));
        String production = given().header("Authorization", as("alice")).contentType(ContentType.JSON)
                .body(Rollouts.body(service, "production", QUICK)).when().post("/api/v1/deployments")
                .then().statusCode(202).extract().path("id");
        DeploymentStarted started = kafka.awaitEvent(Topics.DEPLOYMENT_STARTED, production, DeploymentStarted.class,
                Rollouts.WAIT).data();
        assertThat(started.override()).as("nothing overridden").isNull();
        awaitStatus(production, "SUCCEEDED");

        // service/* freezes every environment of the service except production, whose own policy is more specific.
        Instant now = Instant.now();
        putPolicy(service, "*", """
                {"freezes": [{"from": "%s", "to": "%s", "reason": "service-wide freeze"}], "reason": "test"}"""
                .formatted(now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1)))).then().statusCode(200);
        assertThat(post(as("alice"), Rollouts.body(service, "qa", QUICK)).statusCode()).isEqualTo(409);
        given().header("Authorization", TestTokens.builder().subject("dee").roles("deployer").services(service)
                .bearer()).when().get("/api/v1/deployment-policies/" + service + "/qa").then().statusCode(200)
                .body("scope.environment", org.hamcrest.Matchers.equalTo("*"))
                .body("open", org.hamcrest.Matchers.equalTo(false));
        given().when().get("/api/v1/deployment-policies/" + service + "/production").then().statusCode(200)
                .body("scope.environment", org.hamcrest.Matchers.equalTo("production"))
                .body("open", org.hamcrest.Matchers.equalTo(true));
    }

    @Test
    void anInvalidPolicyIs400ProblemJsonAndStoresNothing() {
        String service = Rollouts.uniqueService("invalid");
        Response r = putPolicy(service, "production", """
                {"windows": [{"days": ["FRI"], "from": "15:00", "to": "09:00", "zone": "Europe/Berlin"}],
                 "reason": "overnight"}""");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.jsonPath().getString("type"))
                .isEqualTo("https://rollwatch.dev/problems/invalid-deployment-policy");
        assertThat(r.jsonPath().getString("field")).isEqualTo("windows[0]");
        assertThat(putPolicy(service, "production", "{\"windows\": []}").statusCode()).as("no reason").isEqualTo(400);
        assertThat(putPolicy(service, "Production!", "{\"reason\": \"x\"}").statusCode()).isEqualTo(400);
        given().when().get("/api/v1/deployment-policies/" + service + "/production").then().statusCode(200)
                .body("version", org.hamcrest.Matchers.equalTo(0)).body("open", org.hamcrest.Matchers.equalTo(true));
    }

    private static Response putPolicy(String service, String environment, String body) {
        return given().header("Authorization", as("otto")).contentType(ContentType.JSON).body(body)
                .when().put("/api/v1/deployment-policies/" + service + "/" + environment).thenReturn();
    }

    private static Response post(String authorization, String body) {
        return given().header("Authorization", authorization).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/deployments").thenReturn();
    }

    static String withOverride(String body, String reason) {
        return body.substring(0, body.lastIndexOf('}')) + ", \"override\": {\"reason\": \"" + reason + "\"}}";
    }
}
