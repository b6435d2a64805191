package dev.rollwatch.deploy;

import dev.rollwatch.events.AnalysisCompleted;
import dev.rollwatch.events.ApprovalGranted;
import dev.rollwatch.events.CheckResult;
import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepOutcome;
import dev.rollwatch.events.StepStarted;
import dev.rollwatch.events.Topics;
import dev.rollwatch.events.Verdict;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.TestTokens;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static dev.rollwatch.deploy.Rollouts.WAIT;
import static dev.rollwatch.deploy.Rollouts.awaitStatus;
import static dev.rollwatch.deploy.Rollouts.start;
import static dev.rollwatch.deploy.Rollouts.uniqueService;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class StepEngineIT {

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

    @Test
    void aGoodVersionWalksEveryStepToSucceededAndTheTargetSeesEachWeightInOrder() {
        String service = uniqueService("checkout");
        String id = start(service, """
                [{"setWeight": 5}, {"pause": {"duration": "1s"}}, {"setWeight": 25}, {"setWeight": 100}]""");

        awaitStatus(id, "SUCCEEDED");

        assertThat(target.appliedWeights(id)).containsExactly(5, 25, 100);
        assertThat(target.callsFor(id)).extracting(TargetStub.Call::kind)
                .containsExactly("traffic", "traffic", "traffic", "finalize");
        assertThat(target.callsFor(id)).allSatisfy(call ->
                assertThat(call.answeredStatus()).isEqualTo(200)); // signature verified with the Standard Webhooks algorithm
        assertThat(target.callsFor(id, "traffic")).allSatisfy(call -> {
            assertThat(call.field("canaryVersion")).isEqualTo("2.4.0");
            assertThat(call.field("stableVersion")).isEqualTo("2.3.0");
        });
        assertThat(target.callsFor(id, "finalize")).singleElement().satisfies(call -> {
            assertThat(call.webhookId()).isEqualTo("msg_" + id + "_finalize");
            assertThat(call.field("version")).isEqualTo("2.4.0");
        });
        // The rollout is over at the target too: the new version is the stable one, with all the traffic.
        assertThat(target.state(service)).containsEntry("stableVersion", "2.4.0").containsEntry("canaryVersion", null)
                .containsEntry("weight", 0);

        Envelope<DeploymentFinished> finished = kafka.awaitEvent(Topics.DEPLOYMENT_FINISHED, id,
                DeploymentFinished.class, WAIT);
        assertThat(finished.data().outcome()).isEqualTo(DeploymentOutcome.SUCCEEDED);
        assertThat(finished.data().summary().finalWeight()).isEqualTo(100);
        assertThat(finished.data().summary().stepsPlanned()).isEqualTo(4);
        assertThat(finished.data().summary().stepsCompleted()).isEqualTo(4);
        assertThat(finished.data().summary().durationMs()).isGreaterThanOrEqualTo(1000);

        List<StepStarted> started = data(kafka.eventsAbout(Topics.STEP_STARTED, id), StepStarted.class);
        assertThat(started).extracting(StepStarted::stepIndex).containsExactly(0, 1, 2, 3);
        assertThat(started).extracting(StepStarted::kind)
                .containsExactly(StepKind.SET_WEIGHT, StepKind.PAUSE, StepKind.SET_WEIGHT, StepKind.SET_WEIGHT);
        assertThat(started.get(1).deadline()).isNotNull();
        List<StepCompleted> completed = data(kafka.eventsAbout(Topics.STEP_COMPLETED, id), StepCompleted.class);
        assertThat(completed).extracting(StepCompleted::outcome).containsOnly(StepOutcome.SUCCEEDED).hasSize(4);
        assertThat(completed).extracting(StepCompleted::weight).containsExactly(5, 5, 25, 100);
        assertThat(completed.get(1).durationMs()).isGreaterThanOrEqualTo(1000);

        given().when().get("/api/v1/deployments/" + id).then()
                .body("currentWeight", equalTo(100)).body("currentStep", equalTo(4))
                .body("history.size()", equalTo(4)).body("history[1].status", equalTo("SUCCEEDED"));

        // The report: total vs planned, per-step durations, time at each weight.
        given().when().get("/api/v1/deployments/" + id + "/report").then().statusCode(200)
                .body("status", equalTo("SUCCEEDED")).body("plannedDurationMs", equalTo(1000))
                .body("finished", equalTo(true))
                .body("steps.size()", equalTo(4))
                .body("timeAtWeightMs.keySet()", org.hamcrest.Matchers.containsInAnyOrder("0", "5", "25", "100"));
        Number atFive = given().when().get("/api/v1/deployments/" + id + "/report").then().extract()
                .path("timeAtWeightMs.'5'");
        assertThat(atFive.longValue()).isGreaterThanOrEqualTo(1000L);
    }

    @Test
    void anOpenEndedPauseWaitsForApprovalAndThenContinues() {
        String id = start(uniqueService("gate"), """
                [{"setWeight": 5}, {"pause": {}}, {"setWeight": 100}]""");
        awaitStatus(id, "AWAITING_APPROVAL");
        assertThat(target.appliedWeights(id)).containsExactly(5);

        // A deployer may not pass a gate; an operator may.
        given().contentType(ContentType.JSON).body(Rollouts.decision("mine"))
                .header("Authorization", TestTokens.builder().subject("dora").roles("deployer").services("*").bearer())
                .when().post("/api/v1/deployments/" + id + "/approve")
                .then().statusCode(403).contentType("application/problem+json");

        given().contentType(ContentType.JSON)
                .header("Authorization", Rollouts.as("carol")).body(Rollouts.decision("dashboards look fine"))
                .when().post("/api/v1/deployments/" + id + "/approve")
                .then().statusCode(200).body("history[1].approvedBy", equalTo("carol"));
        awaitStatus(id, "SUCCEEDED");
        assertThat(target.appliedWeights(id)).containsExactly(5, 100);

        Envelope<ApprovalGranted> approval = kafka.awaitEvent(Topics.DEPLOYMENT_COMMANDS, id, ApprovalGranted.class,
                WAIT);
        assertThat(approval.data().stepIndex()).isEqualTo(1);
        assertThat(approval.data().approvedBy()).isEqualTo("carol");
        assertThat(approval.data().reason()).isEqualTo("dashboards look fine");

        // Approving again: the deployment is not at a gate any more.
        given().contentType(ContentType.JSON)
                .header("Authorization", Rollouts.as("carol")).body(Rollouts.decision("again"))
                .when().post("/api/v1/deployments/" + id + "/approve")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/illegal-transition"));
    }

    @Test
    void aFailedSmokeCheckHaltsTheRolloutAndSaysWhichCheckGotWhat() {
        String id = start(uniqueService("smoke"), """
                [{"setWeight": 5},
                 {"smoke": {"checks": [{"url": "%1$s/smoke/ok", "bodyContains": "UP"},
                                       {"url": "%1$s/smoke/broken", "expectStatus": 200, "retries": 1}]}},
                 {"setWeight": 100}]""".formatted(target.url()));
        awaitStatus(id, "PAUSED");

        given().when().get("/api/v1/deployments/" + id).then()
                .body("statusReason", containsString("smoke check failed (P1)"))
                .body("history[1].status", equalTo("FAILED"))
                .body("history[1].smokePassed", equalTo(1)).body("history[1].smokeTotal", equalTo(2));
        List<StepCompleted> completed = org.awaitility.Awaitility.await().atMost(WAIT).until(
                () -> data(kafka.eventsAbout(Topics.STEP_COMPLETED, id), StepCompleted.class), l -> l.size() == 2);
        StepCompleted failed = completed.get(1);
        assertThat(failed.kind()).isEqualTo(StepKind.SMOKE);
        assertThat(failed.outcome()).isEqualTo(StepOutcome.FAILED);
        assertThat(failed.detail()).contains("1/2 smoke checks passed")
                // what it got: the status, never the remote body (the detail reaches API callers)
                .contains("/smoke/broken: expected status 200, got 503 (2 attempts)").doesNotContain("DOWN");
        assertThat(target.appliedWeights(id)).containsExactly(5);
        given().when().get("/api/v1/deployments/" + id + "/report").then()
                .body("smoke.passed", equalTo(1)).body("smoke.total", equalTo(2))
                .body("smoke.passRate", equalTo(0.5f));
    }

    @Test
    void analysisVerdictsDecide_successfulAdvances_failedHalts_inconclusiveAsksAHuman() {
        String steps = """
                [{"setWeight": 5}, {"analysis": {"duration": "5m"}}, {"setWeight": 100}]""";
        String good = start(uniqueService("good"), steps);
        String bad = start(uniqueService("bad"), steps);
        String unsure = start(uniqueService("unsure"), steps);
        for (String id : List.of(good, bad, unsure)) {
            kafka.awaitEvent(Topics.STEP_STARTED, id, StepStarted.class, WAIT);
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> target.appliedWeights(id).size() == 1);
        }
        Envelope<AnalysisCompleted> verdict = verdict(good, Verdict.SUCCESSFUL);
        kafka.send(verdict);
        kafka.send(verdict); // a redelivery changes nothing
        kafka.send(verdict(bad, Verdict.FAILED));
        kafka.send(verdict(unsure, Verdict.INCONCLUSIVE));

        awaitStatus(good, "SUCCEEDED");
        awaitStatus(bad, "PAUSED");
        awaitStatus(unsure, "AWAITING_APPROVAL");
        assertThat(target.appliedWeights(good)).containsExactly(5, 100);
        assertThat(target.appliedWeights(bad)).containsExactly(5);
        given().when().get("/api/v1/deployments/" + bad).then()
                .body("statusReason", containsString("analysis FAILED: error-rate FAILED observed 0.08"))
                .body("history[1].status", equalTo("FAILED"));

        given().contentType(ContentType.JSON)
                .header("Authorization", Rollouts.as("dave")).body(Rollouts.decision("noise"))
                .when().post("/api/v1/deployments/" + unsure + "/approve").then().statusCode(200);
        awaitStatus(unsure, "SUCCEEDED");
    }

    @Test
    void anAnalysisWithoutAVerdictByItsDurationPlusGraceIsInconclusive() {
        String id = start(uniqueService("silent"), """
                [{"setWeight": 5}, {"analysis": {"duration": "1s"}}, {"setWeight": 100}]""");
        awaitStatus(id, "AWAITING_APPROVAL");
        given().when().get("/api/v1/deployments/" + id).then()
                .body("statusReason", containsString("no analysis verdict"))
                .body("history[1].status", equalTo("RUNNING"));
        assertThat(target.appliedWeights(id)).containsExactly(5);
    }

    @Test
    void aTargetThatRefusesAWeightFailsTheDeployment() {
        String service = uniqueService("refused");
        target.fail(service, "traffic", 400, 1);
        String id = start(service, "[{\"setWeight\": 5}, {\"setWeight\": 100}]");

        awaitStatus(id, "FAILED");
        assertThat(target.callsFor(id)).hasSize(1); // 4xx is final: no retry
        Envelope<DeploymentFinished> finished = kafka.awaitEvent(Topics.DEPLOYMENT_FINISHED, id,
                DeploymentFinished.class, WAIT);
        assertThat(finished.data().outcome()).isEqualTo(DeploymentOutcome.FAILED);
        assertThat(finished.data().summary().reason()).contains("answered 400");
        StepCompleted step = kafka.awaitEvent(Topics.STEP_COMPLETED, id, StepCompleted.class, WAIT).data();
        assertThat(step.outcome()).isEqualTo(StepOutcome.FAILED);
    }

    @Test
    void aTargetThatFailsTransientlyIsRetriedWithTheSameWebhookId() {
        String service = uniqueService("flaky");
        target.fail(service, "traffic", 503, 2);
        String id = start(service, "[{\"setWeight\": 5}, {\"setWeight\": 100}]");

        awaitStatus(id, "SUCCEEDED");
        List<TargetStub.Call> first = target.callsFor(id, "traffic").stream().filter(c -> c.field("weight").equals(5))
                .toList();
        assertThat(first).extracting(TargetStub.Call::answeredStatus).containsExactly(503, 503, 200);
        assertThat(first).extracting(TargetStub.Call::webhookId).containsOnly(first.get(0).webhookId());
        assertThat(target.appliedWeights(id)).containsExactly(5, 100);
    }

    @Test
    void aTargetThatRefusesTheFinalizeFailsTheDeploymentInsteadOfSucceedingIt() {
        String service = uniqueService("unfinalized");
        target.fail(service, "finalize", 400, 1);
        String id = start(service, "[{\"setWeight\": 5}, {\"setWeight\": 100}]");

        awaitStatus(id, "FAILED");
        assertThat(target.callsFor(id, "finalize")).hasSize(1); // 4xx is final: no retry, not on the next tick either
        assertThat(target.appliedWeights(id)).containsExactly(5, 100);
        Envelope<DeploymentFinished> finished = kafka.awaitEvent(Topics.DEPLOYMENT_FINISHED, id,
                DeploymentFinished.class, WAIT);
        assertThat(finished.data().outcome()).isEqualTo(DeploymentOutcome.FAILED);
        assertThat(finished.data().summary().reason()).contains("finalize failed").contains("answered 400");
        given().when().get("/api/v1/deployments/" + id).then()
                .body("statusReason", containsString("finalize failed"))
                .body("history.status", org.hamcrest.Matchers.everyItem(equalTo("SUCCEEDED")));
        // The target is left as the last step put it: the new version at 100% as the canary.
        assertThat(target.state(service)).containsEntry("canaryVersion", "2.4.0").containsEntry("weight", 100);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(13)).until(() ->
                target.callsFor(id, "finalize").size() == 1 && "FAILED".equals(given().when()
                        .get("/api/v1/deployments/" + id).then().extract().path("status")));
        assertThat(kafka.eventsAbout(Topics.DEPLOYMENT_FINISHED, id).stream().map(Envelope::id).distinct())
                .hasSize(1);
    }

    @Test
    void aFinalizeThatFailsTransientlyIsRetriedWithTheSameWebhookIdAndTheDeploymentSucceeds() {
        String service = uniqueService("flaky-finalize");
        target.fail(service, "finalize", 503, 2);
        String id = start(service, "[{\"setWeight\": 100}]");

        awaitStatus(id, "SUCCEEDED");
        assertThat(target.callsFor(id, "finalize")).extracting(TargetStub.Call::answeredStatus, TargetStub.Call::webhookId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(503, "msg_" + id + "_finalize"),
                        org.assertj.core.groups.Tuple.tuple(503, "msg_" + id + "_finalize"),
                        org.assertj.core.groups.Tuple.tuple(200, "msg_" + id + "_finalize"));
        assertThat(target.state(service)).containsEntry("stableVersion", "2.4.0").containsEntry("weight", 0);
        assertThat(kafka.awaitEvent(Topics.DEPLOYMENT_FINISHED, id, DeploymentFinished.class, WAIT).data().outcome())
                .isEqualTo(DeploymentOutcome.SUCCEEDED);
    }

    @Test
    void poisonOnAnalysisCompletedGoesToTheDeadLetterTopicAndConsumptionGoesOn() {
        String poisonKey = "poison-" + java.util.UUID.randomUUID();
        kafka.send(Topics.ANALYSIS_COMPLETED, poisonKey, "{\"specversion\": 7".getBytes(StandardCharsets.UTF_8));
        List<ConsumerRecord<String, byte[]>> dead = kafka.awaitRecords(Topics.dlq(Topics.ANALYSIS_COMPLETED),
                r -> poisonKey.equals(r.key()), WAIT);
        assertThat(KafkaTestClient.header(dead.get(dead.size() - 1), "dead-letter-reason")).isNotBlank();

        String id = start(uniqueService("after-poison"), """
                [{"setWeight": 5}, {"analysis": {"duration": "5m"}}, {"setWeight": 100}]""");
        kafka.awaitEvent(Topics.STEP_STARTED, id, StepStarted.class, WAIT);
        kafka.send(verdict(id, Verdict.SUCCESSFUL));
        awaitStatus(id, "SUCCEEDED");
    }

    private static Envelope<AnalysisCompleted> verdict(String id, Verdict verdict) {
        return Envelope.of("/rollwatch/monitor-service", id, new AnalysisCompleted(1, verdict, List.of(
                new CheckResult("error-rate", "error_rate", verdict, verdict == Verdict.FAILED ? 0.08 : 0.001, null,
                        0.01, 12, verdict == Verdict.FAILED ? 3 : 0, null))));
    }

    static <T extends EventData> List<T> data(List<Envelope<EventData>> events, Class<T> type) {
        return events.stream().map(Envelope::data).filter(type::isInstance).map(type::cast).toList();
    }
}
