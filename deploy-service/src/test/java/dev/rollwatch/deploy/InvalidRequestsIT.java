package dev.rollwatch.deploy;

import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rollwatch.deploy.Rollouts.awaitStatus;
import static dev.rollwatch.deploy.Rollouts.start;
import static dev.rollwatch.deploy.Rollouts.uniqueService;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

/**
 * Every kind of invalid request the API refuses: an RFC 9457 problem (application/problem+json) with a 4xx
 * status, and nothing changed — no deployment created (the service and environment stay free), no event, no
 * target call, no state moved.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class InvalidRequestsIT {

    private static final String PROBLEMS = "https://rollwatch.dev/problems/";
    private static KafkaTestClient kafka;
    private final TargetStub target = TargetStub.shared();

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private static ValidatableResponse create(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/v1/deployments").then()
                .contentType("application/problem+json");
    }

    @Test
    void refusedCreationsAreProblemsAndStartNothing() {
        String service = uniqueService("refused");
        String steps = "[{\"setWeight\": 5}, {\"pause\": {}}]";

        // Missing fields.
        create("{\"environment\": \"production\"}").statusCode(400)
                .body("type", equalTo(PROBLEMS + "validation"))
                .body("errors.field", hasItems("service", "version"));
        // No target: only a registered one may be left out (the tests do not require registration; production does).
        create(Rollouts.body(service, "production", steps).replaceAll("\"target\": \\{[^}]*},", ""))
                .statusCode(400).body("type", equalTo(PROBLEMS + "target-not-registered"));
        create(Rollouts.body(service, "production", steps).replace("\"url\": \"", "\"metricsUrl\": \""))
                .statusCode(400).body("type", equalTo(PROBLEMS + "validation"))
                .body("errors.field", hasItems("target.url"));
        // Unknown step kinds, alone and among valid ones: strict JSON names the field and where it is.
        create(Rollouts.body(service, "production", "[{\"canary\": 5}]")).statusCode(400)
                .body("type", equalTo(PROBLEMS + "malformed-body"))
                .body("detail", equalTo("unknown field 'canary' at 'strategy.steps[0].canary'"));
        create(Rollouts.body(service, "production", "[{\"setWeight\": 5}, {\"rollout\": {\"to\": 50}}]"))
                .statusCode(400).body("type", equalTo(PROBLEMS + "malformed-body"))
                .body("detail", equalTo("unknown field 'rollout' at 'strategy.steps[1].rollout'"));
        // A step with no kind at all, or two.
        create(Rollouts.body(service, "production", "[{}]")).statusCode(400)
                .body("type", equalTo(PROBLEMS + "invalid-strategy"))
                .body("detail", startsWith("strategy.steps[0] must have exactly one of"));
        create(Rollouts.body(service, "production", "[{\"setWeight\": 5, \"pause\": {}}]")).statusCode(400)
                .body("type", equalTo(PROBLEMS + "invalid-strategy"))
                .body("detail", startsWith("strategy.steps[0] must have exactly one of"));
        // Weights outside 0..100, and weights that do not increase.
        for (int weight : List.of(101, -1, 1000)) {
            create(Rollouts.body(service, "production", "[{\"setWeight\": " + weight + "}]")).statusCode(400)
                    .body("type", equalTo(PROBLEMS + "validation"));
        }
        create(Rollouts.body(service, "production", "[{\"setWeight\": 25}, {\"setWeight\": 25}]")).statusCode(400)
                .body("type", equalTo(PROBLEMS + "invalid-strategy"))
                .body("detail", equalTo("strategy.steps[1].setWeight 25 must be greater than the previous weight 25"));
        create(Rollouts.body(service, "production", "[{\"setWeight\": 50}, {\"pause\": {}}, {\"setWeight\": 5}]"))
                .statusCode(400).body("type", equalTo(PROBLEMS + "invalid-strategy"));
        // A smoke check asking for an hour (or no time at all): its attempt would hold an engine thread that long.
        for (String timeout : List.of("1h", "31s", "0s")) {
            create(Rollouts.body(service, "production", "[{\"smoke\": {\"checks\": [{\"url\": \"" + target.url()
                    + "/smoke/ok\", \"timeout\": \"" + timeout + "\"}]}}]")).statusCode(400)
                    .body("type", equalTo(PROBLEMS + "invalid-duration"))
                    .body("detail",
                            equalTo("strategy.steps[0].smoke.checks[0].timeout must be above 0 and at most 30s"));
        }
        // A target type there is no driver for.
        create(Rollouts.body(service, "production", steps).replace("\"type\": \"http\"", "\"type\": \"ssh\""))
                .statusCode(400).body("type", equalTo(PROBLEMS + "invalid-target"));

        // Nothing was created or sent: the list knows no deployment of the service, and it can start now.
        given().queryParam("service", service).when().get("/api/v1/deployments").then().statusCode(200)
                .body("total", equalTo(0));
        assertThat(target.calls()).noneMatch(c -> service.equals(c.field("service")));
        String id = start(service, steps);
        awaitStatus(id, "AWAITING_APPROVAL");
        given().queryParam("service", service).when().get("/api/v1/deployments").then().body("total", equalTo(1));
    }

    @Test
    void anUnknownDeploymentIdIsANotFoundProblemForEveryOperation() {
        for (String id : List.of(UUID.randomUUID().toString(), "not-a-uuid")) {
            for (String path : List.of("", "/report", "/events")) {
                given().when().get("/api/v1/deployments/" + id + path).then().statusCode(404)
                        .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "not-found"));
            }
            for (String action : List.of("approve", "abort", "promote")) {
                given().contentType(ContentType.JSON)
                .header("Authorization", Rollouts.as("kim")).body(Rollouts.decision("x"))
                        .when().post("/api/v1/deployments/" + id + "/" + action).then().statusCode(404)
                        .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "not-found"));
            }
        }
    }

    @Test
    void approvingADeploymentThatIsNotAtAGateIsRefusedAndChangesNothing() {
        String id = start(uniqueService("not-gated"), "[{\"setWeight\": 5}, {\"pause\": {\"duration\": \"1h\"}}, "
                + "{\"setWeight\": 100}]");
        await().atMost(Rollouts.WAIT).untilAsserted(() -> given().when().get("/api/v1/deployments/" + id).then()
                .body("status", equalTo("RUNNING")).body("currentStep", equalTo(1)));
        Map<String, Object> before = given().when().get("/api/v1/deployments/" + id).then().extract().as(Map.class);

        given().contentType(ContentType.JSON)
                .header("Authorization", Rollouts.as("kim")).body(Rollouts.decision("looks fine"))
                .when().post("/api/v1/deployments/" + id + "/approve").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "illegal-transition")).body("status", equalTo("RUNNING"));
        // Approving in someone else's name is refused: who approves is the token's subject, not a body field.
        given().contentType(ContentType.JSON).body("{\"by\": \"the-cto\", \"reason\": \"x\"}")
                .when().post("/api/v1/deployments/" + id + "/approve").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "malformed-body"))
                .body("detail", equalTo("unknown field 'by' at 'by'"));

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(12)).untilAsserted(() ->
                assertThat(given().when().get("/api/v1/deployments/" + id).then().extract().as(Map.class))
                        .isEqualTo(before));
        assertThat(kafka.eventsAbout(Topics.DEPLOYMENT_COMMANDS, id)).isEmpty(); // no ApprovalGranted
        assertThat(target.appliedWeights(id)).containsExactly(5);
    }

    @Test
    void theRunbookFieldsAreValidatedAndACredentialIsNeverEchoed() {
        String service = uniqueService("runbook-fields");
        String authorised = Rollouts.body(service, "production", """
                [{"smoke": {"checks": [{"url": "%s/health", "headers": {"Authorization": "Bearer hunter2-literal"}}]}}]"""
                .formatted(target.url()));
        String detail = create(authorised).statusCode(400).body("type", equalTo(PROBLEMS + "literal-credential"))
                .extract().path("detail");
        assertThat(detail).startsWith("strategy.steps[0].smoke.checks[0].headers.Authorization must be a secret")
                .doesNotContain("hunter2");
        create(Rollouts.body(service, "production", """
                [{"smoke": {"checks": [{"url": "%s/health", "headers": {"X-Token": "${secret:NOT_CONFIGURED}"}}]}}]"""
                .formatted(target.url()))).statusCode(400).body("type", equalTo(PROBLEMS + "unknown-secret"));
        create(Rollouts.body(service, "production", """
                [{"smoke": {"checks": [{"url": "%s/health", "expectJson": {"status": "UP"}}]}}]"""
                .formatted(target.url()))).statusCode(400).body("type", equalTo(PROBLEMS + "invalid-smoke-check"));
        create(Rollouts.body(service, "production", """
                [{"setWeight": 5}, {"analysis": {"duration": "1m", "criteria": [{"metric": "error_rate"}]}}]"""))
                .statusCode(400).body("type", equalTo(PROBLEMS + "invalid-analysis"));
        create(Rollouts.body(service, "production", "[{\"setWeight\": 5}]")
                .replace("\"strategy\": {", "\"strategy\": {\"onFailure\": \"sideways\", "))
                .statusCode(400).body("type", equalTo(PROBLEMS + "validation"));
        create(Rollouts.body(service, "production", "[{\"setWeight\": 5}]").replace("\"target\"",
                "\"bakeWindow\": \"30d\", \"target\"")).statusCode(400)
                .body("type", equalTo(PROBLEMS + "invalid-duration"));
        given().queryParam("service", service).when().get("/api/v1/deployments").then().body("total", equalTo(0));
        // A secret reference that is configured is accepted and travels as the reference.
        String id = start(service, """
                [{"smoke": {"checks": [{"url": "%s/health", "headers": {"Authorization": "Bearer ${secret:SMOKE_TOKEN}"},
                                        "expectJson": {"/status": "UP"}}]}}, {"setWeight": 5}]"""
                .formatted(target.url()));
        awaitStatus(id, "SUCCEEDED");
        given().when().get("/api/v1/deployments/" + id).then()
                .body("steps[0].checks[0].headers.Authorization", equalTo("Bearer ${secret:SMOKE_TOKEN}"));
    }

    @Test
    void aDeploymentWhoseStartedEventTheBrokerCouldNotTakeIsRefusedAnd413() {
        // Under the 1 MiB body limit (about 330 KB), but its DeploymentStarted is over the %test producer's
        // max.request.size (256 KiB, less 8 KiB headroom): stored, the event would be refused by Kafka for good
        // and the deployment would run with nobody watching it.
        String service = uniqueService("huge");
        String pad = "p".repeat(1_900);
        StringBuilder checks = new StringBuilder();
        for (int c = 0; c < 20; c++) {
            checks.append(c == 0 ? "" : ", ").append("{\"url\": \"").append(target.url()).append("/smoke/ok?c=")
                    .append(c).append("&pad=").append(pad).append("\"}");
        }
        StringBuilder steps = new StringBuilder("[{\"setWeight\": 5}");
        for (int i = 0; i < 8; i++) {
            steps.append(", {\"smoke\": {\"checks\": [").append(checks).append("]}}");
        }
        String body = Rollouts.body(service, "production", steps.append("]").toString());
        assertThat(body.length()).isBetween(300_000, 1_000_000);

        create(body).statusCode(413).body("type", equalTo(PROBLEMS + "event-too-large"))
                .body("limitBytes", equalTo(262_144 - 8_192))
                .body("eventBytes", org.hamcrest.Matchers.greaterThan(262_144 - 8_192));
        given().queryParam("service", service).when().get("/api/v1/deployments").then().body("total", equalTo(0));
        assertThat(target.calls()).noneMatch(c -> service.equals(c.field("service")));
        // A smoke check URL has a length cap now (it had none: the M2 finding's lever).
        create(Rollouts.body(service, "production", "[{\"smoke\": {\"checks\": [{\"url\": \"" + target.url()
                + "/smoke/ok?pad=" + "p".repeat(2_048) + "\"}]}}]")).statusCode(400)
                .body("type", equalTo(PROBLEMS + "validation"))
                .body("detail", org.hamcrest.Matchers.containsString("checks[0].url size must be"));
        // So does a duration string.
        create(Rollouts.body(service, "production", "[{\"pause\": {\"duration\": \"" + "1".repeat(40)
                + "s\"}}]")).statusCode(400).body("type", equalTo(PROBLEMS + "validation"));

        // Nothing was kept: the same service starts now, and its DeploymentStarted is the only one on Kafka.
        String id = start(service, "[{\"setWeight\": 5}]");
        awaitStatus(id, "SUCCEEDED");
        assertThat(kafka.eventsAbout(Topics.DEPLOYMENT_STARTED, id)).hasSize(1);
    }

    @Test
    void targetsThatCouldReachInternalAddressesOrRewriteTheDriversPathAreRefusedAndStartNothing() {
        String service = uniqueService("ssrf");
        String steps = "[{\"setWeight\": 5}]";
        String mine = target.url();
        // The cloud metadata service (link-local 169.254.0.0/16), as target, metrics and smoke check URL: refused by
        // the outbound policy even where loopback is allowed (the tests), before anything is stored.
        for (String body : List.of(
                Rollouts.body(service, "production", steps).replace(mine, "http://169.254.169.254/latest/meta-data"),
                Rollouts.body(service, "production", steps).replace("\"url\": \"" + mine + "\"",
                        "\"url\": \"" + mine + "\", \"metricsUrl\": \"http://169.254.170.2/v2/credentials\""),
                Rollouts.body(service, "production", "[{\"smoke\": {\"checks\": [{\"url\": "
                        + "\"http://169.254.169.254/latest/meta-data/iam/security-credentials/x\", "
                        + "\"bodyContains\": \"AKIA\"}]}}]"))) {
            create(body).statusCode(400).body("type", equalTo(PROBLEMS + "destination-refused"))
                    .body("detail", org.hamcrest.Matchers.containsString("169.254."));
        }
        // A query, fragment or user info in the target URL would turn the driver's fixed path into a query (or
        // fragment) of a URL the deployer chose: refused.
        for (String url : List.of(mine + "/admin/delete?x=", mine + "/x#", "http://user:pw@" + mine.substring(7))) {
            create(Rollouts.body(service, "production", steps).replace(mine, url)).statusCode(400)
                    .body("type", equalTo(PROBLEMS + "invalid-target"))
                    .body("detail", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("pw")));
        }
        given().queryParam("service", service).when().get("/api/v1/deployments").then().body("total", equalTo(0));
        assertThat(target.calls()).noneMatch(c -> service.equals(c.field("service")));
    }
}
