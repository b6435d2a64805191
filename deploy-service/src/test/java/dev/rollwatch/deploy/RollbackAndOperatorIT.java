package dev.rollwatch.deploy;

import dev.rollwatch.events.DeploymentAborted;
import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.StepOutcome;
import dev.rollwatch.events.Topics;
import dev.rollwatch.events.Trigger;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.rollwatch.deploy.Rollouts.WAIT;
import static dev.rollwatch.deploy.Rollouts.awaitStatus;
import static dev.rollwatch.deploy.Rollouts.start;
import static dev.rollwatch.deploy.Rollouts.uniqueService;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class RollbackAndOperatorIT {

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

    private static Envelope<RollbackRequested> rollbackOf(String id, String service, Instant detectedAt) {
        return Envelope.of("/rollwatch/rollback-service", id, new RollbackRequested(service, "production",
                Trigger.AUTOMATIC, "error rate 8% > 1%", List.of(UUID.randomUUID().toString()), "p1-immediate", 1,
                "2.4.0", "2.3.0", "rollback-service", detectedAt));
    }

    @Test
    void aRollbackDuringAPauseCallsTheTargetOnceAndStopsEveryForwardStep() {
        String service = uniqueService("orders");
        // Without the rollback, the 25% step would follow two seconds after the 5% one.
        String id = start(service, "[{\"setWeight\": 5}, {\"pause\": {\"duration\": \"2s\"}}, {\"setWeight\": 25}]");
        await().atMost(WAIT).until(() -> target.appliedWeights(id).size() == 1);

        kafka.send(rollbackOf(id, service, Instant.now().minusMillis(200)));
        awaitStatus(id, "ROLLED_BACK");

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15))
                .until(() -> target.callsFor(id, "traffic").size() == 1 && target.callsFor(id, "rollback").size() == 1);
        assertThat(target.callsFor(id, "rollback").get(0).field("toVersion")).isEqualTo("2.3.0");
        assertThat(target.state(service)).containsEntry("weight", 0).containsEntry("stableVersion", "2.3.0");

        RollbackCompleted completed = kafka.awaitEvent(Topics.ROLLBACK_COMPLETED, id, RollbackCompleted.class, WAIT)
                .data();
        assertThat(completed.outcome()).isEqualTo(RollbackOutcome.SUCCEEDED);
        assertThat(completed.detectionToRollbackMs()).isGreaterThanOrEqualTo(200L);
        assertThat(completed.detail()).contains("healthy");
        List<StepCompleted> steps = StepEngineIT.data(kafka.eventsAbout(Topics.STEP_COMPLETED, id),
                StepCompleted.class);
        assertThat(steps).extracting(StepCompleted::outcome).containsExactly(StepOutcome.SUCCEEDED,
                StepOutcome.ABORTED);

        given().when().get("/api/v1/deployments/" + id + "/report").then()
                .body("detectionToRollbackMs", greaterThanOrEqualTo(200))
                .body("rollbackDurationMs", greaterThanOrEqualTo(0))
                .body("timeAtWeightMs.'5'", greaterThanOrEqualTo(0));
    }

    @Test
    void aTargetThatFailsTheRollbackEndsRollbackFailedAfterRetries() {
        String service = uniqueService("stuck");
        String id = start(service, "[{\"setWeight\": 5}, {\"pause\": {}}]");
        awaitStatus(id, "AWAITING_APPROVAL");
        target.fail(service, "rollback", 500, 100);

        Envelope<RollbackRequested> request = rollbackOf(id, service, Instant.now());
        kafka.send(request);
        awaitStatus(id, "ROLLBACK_FAILED");

        assertThat(target.callsFor(id, "rollback")).hasSize(4) // the configured attempts, one webhook-id
                .extracting(TargetStub.Call::webhookId).containsOnly("msg_" + id + "_rollback");
        Envelope<RollbackCompleted> completed = kafka.awaitEvent(Topics.ROLLBACK_COMPLETED, id,
                RollbackCompleted.class, WAIT);
        assertThat(completed.data().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(completed.causationId()).isEqualTo(request.id());
        Envelope<DeploymentFinished> finished = kafka.awaitEvent(Topics.DEPLOYMENT_FINISHED, id,
                DeploymentFinished.class, WAIT);
        assertThat(finished.data().outcome()).isEqualTo(DeploymentOutcome.FAILED);
        assertThat(finished.causationId()).isEqualTo(completed.id());
    }

    @Test
    void abortStopsTheDeploymentLeavesTheTargetAsItIsAndIsRecorded() {
        String service = uniqueService("abort");
        String id = start(service, "[{\"setWeight\": 5}, {\"pause\": {}}, {\"setWeight\": 100}]");
        awaitStatus(id, "AWAITING_APPROVAL");

        given().contentType(ContentType.JSON)
                .header("Authorization", Rollouts.as("erin")).body(Rollouts.decision("wrong build"))
                .when().post("/api/v1/deployments/" + id + "/abort")
                .then().statusCode(200).body("status", equalTo("ABORTED"))
                .body("statusReason", equalTo("aborted by erin: wrong build"))
                .body("history[1].status", equalTo("ABORTED"));

        Envelope<DeploymentAborted> aborted = kafka.awaitEvent(Topics.DEPLOYMENT_COMMANDS, id,
                DeploymentAborted.class, WAIT);
        assertThat(aborted.data().abortedBy()).isEqualTo("erin");
        Envelope<DeploymentFinished> finished = kafka.awaitEvent(Topics.DEPLOYMENT_FINISHED, id,
                DeploymentFinished.class, WAIT);
        assertThat(finished.data().outcome()).isEqualTo(DeploymentOutcome.ABORTED);
        assertThat(finished.causationId()).isEqualTo(aborted.id());
        assertThat(finished.data().summary().finalWeight()).isEqualTo(5);
        assertThat(target.state(service)).containsEntry("weight", 5);

        for (String action : List.of("abort", "approve", "promote")) {
            given().contentType(ContentType.JSON)
                .header("Authorization", Rollouts.as("erin")).body(Rollouts.decision("again"))
                    .when().post("/api/v1/deployments/" + id + "/" + action)
                    .then().statusCode(409).contentType("application/problem+json")
                    .body("status", equalTo("ABORTED"));
        }
        given().contentType(ContentType.JSON)
                .header("Authorization", Rollouts.as("erin")).body(Rollouts.decision("x"))
                .when().post("/api/v1/deployments/" + UUID.randomUUID() + "/abort")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void promoteSkipsTheRemainingStepsToOneHundredPercentAndRecordsWhoAndWhy() {
        String service = uniqueService("promote");
        String id = start(service, """
                [{"setWeight": 5}, {"pause": {}}, {"setWeight": 25}, {"pause": {"duration": "1h"}}]""");
        awaitStatus(id, "AWAITING_APPROVAL");

        given().contentType(ContentType.JSON)
                .header("Authorization", Rollouts.as("frank")).body(Rollouts.decision("hotfix, incident 42"))
                .when().post("/api/v1/deployments/" + id + "/promote").then().statusCode(200);
        awaitStatus(id, "SUCCEEDED");

        assertThat(target.appliedWeights(id)).containsExactly(5, 100);
        List<StepCompleted> steps = await().atMost(WAIT).until(() -> StepEngineIT.data(
                kafka.eventsAbout(Topics.STEP_COMPLETED, id), StepCompleted.class), l -> l.size() == 3);
        assertThat(steps.get(1).outcome()).isEqualTo(StepOutcome.SKIPPED);
        assertThat(steps.get(1).detail()).isEqualTo("skipped: promoted to 100% by frank: hotfix, incident 42");
        assertThat(steps.get(2).stepIndex()).isEqualTo(4);
        assertThat(steps.get(2).weight()).isEqualTo(100);
        assertThat(steps.get(2).detail()).startsWith("promoted by frank (hotfix, incident 42)");
        given().when().get("/api/v1/deployments/" + id).then().body("promotedBy", equalTo("frank"))
                .body("currentWeight", equalTo(100));
    }

    @Test
    void whoRequestedADeploymentMayNeitherApproveNorPromoteItButMayAbortIt() {
        String service = uniqueService("four-eyes");
        String id = start(service, "[{\"setWeight\": 5}, {\"pause\": {}}, {\"setWeight\": 25}]"); // by alice
        awaitStatus(id, "AWAITING_APPROVAL");
        java.util.Map<String, Object> before = given().when().get("/api/v1/deployments/" + id).then().extract()
                .as(java.util.Map.class);

        for (String action : List.of("approve", "promote")) {
            given().contentType(ContentType.JSON)
                    .header("Authorization", Rollouts.as("alice")).body(Rollouts.decision("lgtm, says me"))
                    .when().post("/api/v1/deployments/" + id + "/" + action).then().statusCode(403)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://rollwatch.dev/problems/self-approval"))
                    .body("detail", containsString("alice requested deployment " + id + " and may not " + action));
        }
        // Nothing moved: still at the gate, no ApprovalGranted, no third step, the target still at 5%.
        assertThat(given().when().get("/api/v1/deployments/" + id).then().extract().as(java.util.Map.class))
                .isEqualTo(before);
        assertThat(kafka.eventsAbout(Topics.DEPLOYMENT_COMMANDS, id)).isEmpty();
        assertThat(target.appliedWeights(id)).containsExactly(5);

        // A second person approves; the requester may still stop it.
        given().contentType(ContentType.JSON)
                .header("Authorization", Rollouts.as("bob")).body(Rollouts.decision("checked"))
                .when().post("/api/v1/deployments/" + id + "/approve").then().statusCode(200);
        awaitStatus(id, "SUCCEEDED");
        String other = start(service, "[{\"setWeight\": 5}, {\"pause\": {}}]");
        awaitStatus(other, "AWAITING_APPROVAL");
        given().contentType(ContentType.JSON)
                .header("Authorization", Rollouts.as("alice")).body(Rollouts.decision("changed my mind"))
                .when().post("/api/v1/deployments/" + other + "/abort").then().statusCode(200);
        awaitStatus(other, "ABORTED");
    }

    @Test
    void theListFiltersByServiceEnvironmentStatusAndTimeAndPagesNewestFirst() {
        String service = uniqueService("listed");
        Instant before = Instant.now().minusSeconds(1);
        String staging = start(service, "staging", "[{\"setWeight\": 5}, {\"pause\": {}}]");
        String prod = start(service, "production", "[{\"setWeight\": 5}, {\"pause\": {}}]");
        awaitStatus(prod, "AWAITING_APPROVAL");
        given().contentType(ContentType.JSON)
                .header("Authorization", Rollouts.as("gina")).body(Rollouts.decision("not today"))
                .when().post("/api/v1/deployments/" + prod + "/abort").then().statusCode(200);

        given().queryParam("service", service).when().get("/api/v1/deployments").then().statusCode(200)
                .body("total", equalTo(2)).body("items.id", org.hamcrest.Matchers.contains(prod, staging));
        given().queryParam("service", service).queryParam("environment", "staging")
                .when().get("/api/v1/deployments").then().body("total", equalTo(1))
                .body("items[0].id", equalTo(staging));
        given().queryParam("service", service).queryParam("status", "ABORTED")
                .when().get("/api/v1/deployments").then().body("items.id", org.hamcrest.Matchers.contains(prod));
        given().queryParam("service", service).queryParam("size", 1).queryParam("page", 1)
                .when().get("/api/v1/deployments").then().body("total", equalTo(2)).body("size", equalTo(1))
                .body("items.id", org.hamcrest.Matchers.contains(staging));
        given().queryParam("service", service).queryParam("from", before.toString())
                .queryParam("to", before.plusSeconds(3600).toString())
                .when().get("/api/v1/deployments").then().body("total", equalTo(2));
        given().queryParam("service", service).queryParam("to", before.toString())
                .when().get("/api/v1/deployments").then().body("total", equalTo(0));
        given().queryParam("status", "SLEEPING").when().get("/api/v1/deployments").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/invalid-filter"));
        given().queryParam("size", 0).when().get("/api/v1/deployments").then().statusCode(400);
    }

    @Test
    void weightsThatDoNotIncreaseAreRefusedAndNothingStarts() {
        String service = uniqueService("strategy");
        given().contentType(ContentType.JSON)
                .body(Rollouts.body(service, "production", "[{\"setWeight\": 25}, {\"setWeight\": 5}]"))
                .when().post("/api/v1/deployments").then().statusCode(400)
                .body("type", equalTo("https://rollwatch.dev/problems/invalid-strategy"))
                .body("detail", containsString("must be greater than the previous weight 25"));
        given().contentType(ContentType.JSON)
                .body(Rollouts.body(service, "production", "[{\"setWeight\": 101}]"))
                .when().post("/api/v1/deployments").then().statusCode(400);
        given().contentType(ContentType.JSON)
                .body(Rollouts.body(service, "production", "[{\"canary\": 5}]"))
                .when().post("/api/v1/deployments").then().statusCode(400);
        given().queryParam("service", service).when().get("/api/v1/deployments").then().body("total", equalTo(0));
    }
}
