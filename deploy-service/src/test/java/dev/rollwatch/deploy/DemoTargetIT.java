package dev.rollwatch.deploy;

import dev.rollwatch.events.AnalysisCompleted;
import dev.rollwatch.events.ApprovalGranted;
import dev.rollwatch.events.CheckResult;
import dev.rollwatch.events.DeploymentAborted;
import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.Topics;
import dev.rollwatch.events.Trigger;
import dev.rollwatch.events.Verdict;
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
import java.util.Map;
import java.util.UUID;

import static dev.rollwatch.deploy.Rollouts.awaitStatus;
import static dev.rollwatch.deploy.Rollouts.uniqueService;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Rollouts against the real {@code demo-target} process (signed calls verified with the Standard Webhooks
 * algorithm, traffic state per service, the log of applied calls) rather than the in-JVM stub: a succeeded rollout
 * ends with exactly one finalize call, an aborted or rolled-back one with none.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class DemoTargetIT {

    private static KafkaTestClient kafka;
    private static DemoTarget demo;

    @BeforeAll
    static void setUp() {
        kafka = KafkaTestClient.forTestBroker();
        demo = DemoTarget.shared();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private static String start(String service, String stepsJson) {
        String body = """
                {"service": "%s", "environment": "production", "version": "2.4.0", "previousVersion": "2.3.0",
                 "target": {"type": "http", "url": "%s"}, "strategy": {"steps": %s}}"""
                .formatted(service, demo.url(), stepsJson.replace("{demo}", demo.url()));
        return given().header("Authorization", Rollouts.as("alice")).contentType(ContentType.JSON).body(body).when().post("/api/v1/deployments")
                .then().statusCode(202).extract().path("id");
    }

    @Test
    void aGoodVersionWalksEveryStepAndTheTargetAppliesEachSignedWeightOnceInOrder() {
        String service = uniqueService("demo-good");
        String id = start(service, """
                [{"setWeight": 5}, {"smoke": {"checks": [{"url": "{demo}/health", "bodyContains": "UP"}]}},
                 {"analysis": {"duration": "5m"}}, {"pause": {"duration": "500ms"}}, {"setWeight": 25},
                 {"setWeight": 100}]""");

        // The analysis step waits for the monitor's verdict on it; while it does, the target holds 5%.
        await().atMost(Rollouts.WAIT).untilAsserted(() -> given().when().get("/api/v1/deployments/" + id).then()
                .body("status", equalTo("RUNNING")).body("currentStep", equalTo(2)));
        assertThat(demo.state(service)).containsEntry("weight", 5);
        kafka.send(Envelope.of("/rollwatch/monitor-service", id, new AnalysisCompleted(2, Verdict.SUCCESSFUL,
                List.of(new CheckResult("error-rate", "error_rate", Verdict.SUCCESSFUL, 0.001, null, 0.01, 12, 0,
                        null)))));

        awaitStatus(id, "SUCCEEDED");
        // Read at once: the finalize is applied before SUCCEEDED is recorded, so it is visible by now.
        Map<String, Object> finalState = demo.state(service);

        List<Map<String, Object>> calls = demo.calls(id);
        assertThat(calls).extracting(c -> c.get("kind")).containsExactly("traffic", "traffic", "traffic", "finalize");
        assertThat(demo.appliedWeights(id)).containsExactly(5, 25, 100);
        assertThat(calls).extracting(c -> c.get("webhookId"))
                .containsExactly("msg_" + id + "_step0_traffic", "msg_" + id + "_step4_traffic",
                        "msg_" + id + "_step5_traffic", "msg_" + id + "_finalize");
        assertThat(calls).extracting(c -> c.get("deliveries")).containsOnly(1);
        assertThat(calls.subList(0, 3)).allSatisfy(c -> assertThat(DemoTarget.body(c))
                .containsEntry("canaryVersion", "2.4.0").containsEntry("stableVersion", "2.3.0")
                .containsEntry("service", service));
        assertThat(DemoTarget.body(calls.get(3))).containsExactlyInAnyOrderEntriesOf(Map.of("deploymentId", id,
                "service", service, "environment", "production", "version", "2.4.0"));
        // The rollout is over at the target: the new version is the stable one and serves all the traffic.
        assertThat(finalState).containsEntry("stableVersion", "2.4.0").containsEntry("canaryVersion", null)
                .containsEntry("weight", 0);

        given().when().get("/api/v1/deployments/" + id).then()
                .body("currentWeight", equalTo(100))
                .body("history.size()", equalTo(6))
                .body("history.status", org.hamcrest.Matchers.everyItem(equalTo("SUCCEEDED")))
                .body("history[1].detail", equalTo("1/1 smoke checks passed"));
        assertThat(StepEngineIT.data(kafka.eventsAbout(Topics.STEP_COMPLETED, id), StepCompleted.class))
                .extracting(StepCompleted::weight).containsExactly(5, 5, 5, 5, 25, 100);
    }

    @Test
    void aGateHoldsTheTargetUntilApprovedAndPromoteTakesItToOneHundredRecordingWhoAndWhy() {
        String service = uniqueService("demo-gate");
        String id = start(service, """
                [{"setWeight": 5}, {"pause": {}}, {"setWeight": 25}, {"pause": {}}, {"setWeight": 50}]""");

        awaitStatus(id, "AWAITING_APPROVAL");
        // Nothing moves while the gate is closed.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(12)).until(() ->
                demo.calls(id).size() == 1);
        assertThat(demo.state(service)).containsEntry("weight", 5);

        given().contentType(ContentType.JSON)
                .header("Authorization", Rollouts.as("carol")).body(Rollouts.decision("dashboards look fine"))
                .when().post("/api/v1/deployments/" + id + "/approve").then().statusCode(200);
        await().atMost(Rollouts.WAIT).untilAsserted(() -> given().when().get("/api/v1/deployments/" + id).then()
                .body("status", equalTo("AWAITING_APPROVAL")).body("currentStep", equalTo(3)));
        assertThat(demo.appliedWeights(id)).containsExactly(5, 25);
        Envelope<ApprovalGranted> approval = kafka.awaitEvent(Topics.DEPLOYMENT_COMMANDS, id, ApprovalGranted.class,
                Rollouts.WAIT);
        assertThat(approval.data().approvedBy()).isEqualTo("carol");
        assertThat(approval.data().stepIndex()).isEqualTo(1);

        given().contentType(ContentType.JSON)
                .header("Authorization", Rollouts.as("frank")).body(Rollouts.decision("hotfix, incident 42"))
                .when().post("/api/v1/deployments/" + id + "/promote").then().statusCode(200);
        awaitStatus(id, "SUCCEEDED");

        assertThat(demo.appliedWeights(id)).containsExactly(5, 25, 100); // never 50: skipped
        assertThat(demo.calls(id)).extracting(c -> c.get("kind"))
                .containsExactly("traffic", "traffic", "traffic", "finalize"); // the promotion ends with one too
        assertThat(demo.calls(id)).extracting(c -> c.get("deliveries")).containsOnly(1);
        assertThat(demo.state(service)).containsEntry("stableVersion", "2.4.0").containsEntry("canaryVersion", null)
                .containsEntry("weight", 0);
        given().when().get("/api/v1/deployments/" + id).then()
                .body("promotedBy", equalTo("frank"))
                .body("history[1].approvedBy", equalTo("carol"))
                .body("history[3].status", equalTo("SKIPPED"))
                .body("history[3].detail", equalTo("skipped: promoted to 100% by frank: hotfix, incident 42"))
                .body("history.index", org.hamcrest.Matchers.contains(0, 1, 2, 3, 5)) // 50% never started
                .body("history[4].weight", equalTo(100))
                .body("history[4].detail", org.hamcrest.Matchers.startsWith("promoted by frank (hotfix, incident 42)"));
    }

    @Test
    void abortStopsTheRolloutLeavesTheTargetWhereItIsAndIsRecorded() {
        String service = uniqueService("demo-abort");
        String id = start(service, """
                [{"setWeight": 5}, {"pause": {}}, {"setWeight": 100}]""");
        awaitStatus(id, "AWAITING_APPROVAL");

        given().contentType(ContentType.JSON)
                .header("Authorization", Rollouts.as("erin")).body(Rollouts.decision("wrong build"))
                .when().post("/api/v1/deployments/" + id + "/abort").then().statusCode(200)
                .body("status", equalTo("ABORTED")).body("statusReason", equalTo("aborted by erin: wrong build"));

        Envelope<DeploymentAborted> aborted = kafka.awaitEvent(Topics.DEPLOYMENT_COMMANDS, id,
                DeploymentAborted.class, Rollouts.WAIT);
        assertThat(aborted.data().abortedBy()).isEqualTo("erin");
        assertThat(kafka.awaitEvent(Topics.DEPLOYMENT_FINISHED, id, DeploymentFinished.class, Rollouts.WAIT)
                .data().outcome()).isEqualTo(DeploymentOutcome.ABORTED);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(12)).until(() ->
                demo.calls(id).size() == 1);
        assertThat(demo.calls(id)).extracting(c -> c.get("kind")).containsExactly("traffic"); // never finalized
        assertThat(demo.appliedWeights(id)).containsExactly(5);
        assertThat(demo.state(service)).containsEntry("weight", 5).containsEntry("canaryVersion", "2.4.0");
    }

    @Test
    void aFailedSmokeCheckHaltsTheRolloutAndTheRequestedRollbackPutsTheTargetBack() {
        String service = uniqueService("demo-smoke");
        String id = start(service, """
                [{"setWeight": 5},
                 {"smoke": {"checks": [{"url": "{demo}/no-such-page", "retries": 1},
                                       {"url": "{demo}/health", "bodyContains": "DOWN"}]}},
                 {"setWeight": 100}]""");

        awaitStatus(id, "PAUSED");
        given().when().get("/api/v1/deployments/" + id).then()
                .body("statusReason", containsString("smoke check failed (P1)"))
                .body("history[1].status", equalTo("FAILED"))
                .body("history[1].detail", containsString("0/2 smoke checks passed"))
                .body("history[1].smokePassed", equalTo(0));
        assertThat(demo.state(service)).containsEntry("weight", 5).containsEntry("canaryVersion", "2.4.0");

        kafka.send(Envelope.of("/rollwatch/rollback-service", id, new RollbackRequested(service, "production",
                Trigger.AUTOMATIC, "smoke check failed", List.of(UUID.randomUUID().toString()), "p1-immediate", 1,
                "2.4.0", "2.3.0", "rollback-service", Instant.now().minusMillis(100))));
        awaitStatus(id, "ROLLED_BACK");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(demo.calls(id)).extracting(c -> c.get("kind")).containsExactly("traffic", "rollback"));
        // A rolled-back deployment is never finalized, not even later.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(12)).until(() ->
                demo.calls(id).stream().noneMatch(c -> "finalize".equals(c.get("kind"))));
        assertThat(demo.appliedWeights(id)).containsExactly(5); // never 100
        assertThat(DemoTarget.body(demo.calls(id).get(1))).containsEntry("toVersion", "2.3.0");
        assertThat(demo.state(service)).containsEntry("weight", 0).containsEntry("stableVersion", "2.3.0");
    }
}
