package dev.rollwatch.deploy;

import dev.rollwatch.events.AnalysisCompleted;
import dev.rollwatch.events.ApprovalRequested;
import dev.rollwatch.events.CheckResult;
import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepOutcome;
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
import java.util.UUID;

import static dev.rollwatch.deploy.Rollouts.WAIT;
import static dev.rollwatch.deploy.Rollouts.as;
import static dev.rollwatch.deploy.Rollouts.awaitStatus;
import static dev.rollwatch.deploy.Rollouts.uniqueService;
import static dev.rollwatch.deploy.StepEngineIT.data;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Issue 15 on the deploy side: the runbooks' default strategy, stepping back, rolling back a SUCCEEDED deployment,
 * unverified rollbacks, and gates that tell someone (ApprovalRequested).
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class RunbookEngineIT {

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

    private static String start(String service, String targetUrl, String extra) {
        String body = """
                {"service": "%s", "environment": "production", "version": "2.4.0", "previousVersion": "2.3.0",
                 "target": {"type": "http", "url": "%s"}%s}""".formatted(service, targetUrl,
                extra == null ? "" : ", " + extra);
        return given().header("Authorization", as("alice")).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/deployments").then().statusCode(202).extract().path("id");
    }

    private static Envelope<RollbackRequested> rollback(String id, String service, Trigger trigger, String why) {
        return Envelope.of("/rollwatch/rollback-service", id, new RollbackRequested(service, "production", trigger,
                why, List.of(UUID.randomUUID().toString()), "runbook@1/criteria", 1, "2.4.0", "2.3.0",
                "rollback-service", Instant.now()));
    }

    private static Envelope<AnalysisCompleted> verdict(String id, int step, Verdict verdict) {
        return Envelope.of("/rollwatch/monitor-service", id, new AnalysisCompleted(step, verdict, List.of(
                new CheckResult("step" + step + "-error_rate", "error_rate", verdict, 0.0004, null, 0.005, 12, 0,
                        null))));
    }

    private static void approve(String id, String who) {
        given().contentType(ContentType.JSON).header("Authorization", as(who)).body(Rollouts.decision("go"))
                .when().post("/api/v1/deployments/" + id + "/approve").then().statusCode(200);
    }

    private List<ApprovalRequested> approvals(String id, int count) {
        return await().atMost(WAIT).until(() -> data(kafka.eventsAbout(Topics.APPROVAL_REQUESTS, id),
                ApprovalRequested.class), l -> l.size() >= count);
    }

    @Test
    void withoutAStrategyTheRunbooksRolloutChecksHealthRunsEachPhaseWithItsCriteriaAndWaitsAtTheGate() {
        String service = uniqueService("default");
        String id = start(service, target.url(), null);
        // The monitor's verdicts for the three analyses (kept until their steps start).
        for (int step : new int[] {3, 6, 8}) {
            kafka.send(verdict(id, step, Verdict.SUCCESSFUL));
        }

        DeploymentStarted started = kafka.awaitEvent(Topics.DEPLOYMENT_STARTED, id, DeploymentStarted.class, WAIT)
                .data();
        assertThat(started.steps()).extracting(s -> s.kind()).containsExactly(StepKind.SMOKE, StepKind.SET_WEIGHT,
                StepKind.SMOKE, StepKind.ANALYSIS, StepKind.PAUSE, StepKind.SET_WEIGHT, StepKind.ANALYSIS,
                StepKind.SET_WEIGHT, StepKind.ANALYSIS);
        assertThat(started.steps().get(0).checks().get(0).url()).isEqualTo(target.url() + "/health");
        assertThat(started.steps().get(3).criteria().get(0).max()).isEqualTo(0.005);
        assertThat(started.steps().get(6).criteria().get(0).max()).isEqualTo(0.001);
        assertThat(started.steps().get(8).criteria().get(0).max()).isEqualTo(0.001);

        awaitStatus(id, "AWAITING_APPROVAL");
        assertThat(target.appliedWeights(id)).containsExactly(5);
        ApprovalRequested gate = approvals(id, 1).get(0);
        assertThat(gate.stepIndex()).isEqualTo(4);
        assertThat(gate.approvers()).isEqualTo("operator");
        assertThat(gate.reason()).contains("go/no-go gate");
        assertThat(gate.service()).isEqualTo(service);

        approve(id, "carol");
        awaitStatus(id, "SUCCEEDED");
        assertThat(target.appliedWeights(id)).containsExactly(5, 25, 100);
        List<StepCompleted> completed = await().atMost(WAIT).until(() -> data(
                kafka.eventsAbout(Topics.STEP_COMPLETED, id), StepCompleted.class), l -> l.size() == 9);
        assertThat(completed).extracting(StepCompleted::outcome).containsOnly(StepOutcome.SUCCEEDED);
        assertThat(completed.get(0).kind()).isEqualTo(StepKind.SMOKE);
        assertThat(completed.get(0).weight()).isZero(); // the current version was checked before any traffic moved
        assertThat(completed).filteredOn(c -> c.kind() == StepKind.ANALYSIS).extracting(StepCompleted::verdict)
                .containsExactly(Verdict.SUCCESSFUL, Verdict.SUCCESSFUL, Verdict.SUCCESSFUL);
        assertThat(completed).filteredOn(c -> c.kind() != StepKind.ANALYSIS).extracting(StepCompleted::verdict)
                .containsOnlyNulls();
    }

    @Test
    void anUnhealthyCurrentVersionFailsTheDeploymentBeforeAnyTrafficMoves() {
        try (TargetStub sick = new TargetStub(TargetStub.TEST_SECRET)) {
            sick.health(503);
            String id = start(uniqueService("sick"), sick.url(), null);

            awaitStatus(id, "FAILED");
            given().when().get("/api/v1/deployments/" + id).then()
                    .body("statusReason", containsString("the current version is unhealthy"))
                    .body("statusReason", containsString("nothing to roll back"))
                    .body("currentWeight", equalTo(0));
            assertThat(sick.calls()).isEmpty(); // no traffic call, no rollback call
            DeploymentFinished finished = kafka.awaitEvent(Topics.DEPLOYMENT_FINISHED, id, DeploymentFinished.class,
                    WAIT).data();
            assertThat(finished.outcome()).isEqualTo(DeploymentOutcome.FAILED);
        }
    }

    @Test
    void aFailureAt25PercentStepsBackTo5WaitsAndASecondFailureOfThatPhaseRollsBack() {
        String service = uniqueService("stepback");
        String id = start(service, target.url(), """
                "strategy": {"onFailure": "stepBack",
                             "steps": [{"setWeight": 5}, {"setWeight": 25}, {"pause": {}}, {"setWeight": 100}]}""");
        awaitStatus(id, "AWAITING_APPROVAL");
        assertThat(target.appliedWeights(id)).containsExactly(5, 25);
        DeploymentStarted started = kafka.awaitEvent(Topics.DEPLOYMENT_STARTED, id, DeploymentStarted.class, WAIT)
                .data();
        assertThat(started.onFailure()).isEqualTo("stepBack");
        assertThat(started.afterStepBack()).isNull(); // pause

        Envelope<RollbackRequested> first = rollback(id, service, Trigger.AUTOMATIC, "error rate 0.3% > 0.1%");
        kafka.send(first);
        Envelope<RollbackCompleted> steppedBack = kafka.awaitEvent(Topics.ROLLBACK_COMPLETED, id,
                RollbackCompleted.class, WAIT);
        assertThat(steppedBack.data().outcome()).isEqualTo(RollbackOutcome.STEPPED_BACK);
        assertThat(steppedBack.data().toWeight()).isEqualTo(5);
        assertThat(steppedBack.causationId()).isEqualTo(first.id());
        awaitStatus(id, "AWAITING_APPROVAL");
        assertThat(target.appliedWeights(id)).containsExactly(5, 25, 5);
        assertThat(target.callsFor(id, "rollback")).isEmpty();
        assertThat(target.state(service)).containsEntry("weight", 5).containsEntry("canaryVersion", "2.4.0");
        ApprovalRequested waiting = approvals(id, 2).get(1);
        assertThat(waiting.reason()).contains("stepped back from 25% to 5%");
        assertThat(waiting.stepIndex()).isEqualTo(1);
        given().when().get("/api/v1/deployments/" + id).then().body("currentWeight", equalTo(5))
                .body("history.detail", org.hamcrest.Matchers.hasItem(containsString(
                        "stepped back from 25% to 5%")));

        approve(id, "dave"); // retry phase 2
        await().atMost(WAIT).until(() -> target.appliedWeights(id).size() == 4);
        awaitStatus(id, "AWAITING_APPROVAL");
        assertThat(target.appliedWeights(id)).containsExactly(5, 25, 5, 25);

        kafka.send(rollback(id, service, Trigger.AUTOMATIC, "error rate 0.3% > 0.1% again"));
        awaitStatus(id, "ROLLED_BACK");
        assertThat(target.callsFor(id, "rollback")).singleElement()
                .satisfies(c -> assertThat(c.field("toVersion")).isEqualTo("2.3.0"));
        List<RollbackCompleted> outcomes = await().atMost(WAIT).until(() -> data(
                kafka.eventsAbout(Topics.ROLLBACK_COMPLETED, id), RollbackCompleted.class), l -> l.size() == 2);
        assertThat(outcomes).extracting(RollbackCompleted::outcome)
                .containsExactly(RollbackOutcome.STEPPED_BACK, RollbackOutcome.SUCCEEDED);
    }

    @Test
    void withContinueAStepBackRetriesTheFailedPhaseAtOnce() {
        String service = uniqueService("stepback-go");
        String id = start(service, target.url(), """
                "strategy": {"onFailure": "stepBack", "afterStepBack": "continue",
                             "steps": [{"setWeight": 5}, {"setWeight": 25},
                                       {"analysis": {"duration": "1h", "criteria": [{"metric": "error_rate",
                                                                                     "max": 0.001}]}},
                                       {"setWeight": 100}]}""");
        await().atMost(WAIT).until(() -> target.appliedWeights(id).size() == 2);

        kafka.send(rollback(id, service, Trigger.AUTOMATIC, "step2-error_rate 0.3% > 0.1%"));
        await().atMost(WAIT).until(() -> target.appliedWeights(id).size() == 4);
        assertThat(target.appliedWeights(id)).containsExactly(5, 25, 5, 25);
        awaitStatus(id, "RUNNING");
        assertThat(data(kafka.eventsAbout(Topics.APPROVAL_REQUESTS, id), ApprovalRequested.class)).isEmpty();

        kafka.send(verdict(id, 2, Verdict.SUCCESSFUL)); // the retried phase's analysis passes
        awaitStatus(id, "SUCCEEDED");
        assertThat(target.appliedWeights(id)).containsExactly(5, 25, 5, 25, 100);
    }

    @Test
    void aSucceededDeploymentIsRolledBackAndFinishesASecondTimeRolledBack() {
        String service = uniqueService("baked");
        String id = start(service, target.url(), "\"strategy\": {\"steps\": [{\"setWeight\": 100}]}");
        awaitStatus(id, "SUCCEEDED");

        kafka.send(rollback(id, service, Trigger.AUTOMATIC, "bake window: error rate 3% > 1%"));
        awaitStatus(id, "ROLLED_BACK");
        assertThat(target.callsFor(id, "rollback")).singleElement()
                .satisfies(c -> assertThat(c.field("toVersion")).isEqualTo("2.3.0"));
        assertThat(target.state(service)).containsEntry("stableVersion", "2.3.0");
        RollbackCompleted completed = kafka.awaitEvent(Topics.ROLLBACK_COMPLETED, id, RollbackCompleted.class, WAIT)
                .data();
        assertThat(completed.outcome()).isEqualTo(RollbackOutcome.SUCCEEDED);
        List<DeploymentFinished> finished = await().atMost(WAIT).until(() -> data(
                kafka.eventsAbout(Topics.DEPLOYMENT_FINISHED, id), DeploymentFinished.class), l -> l.size() == 2);
        assertThat(finished).extracting(DeploymentFinished::outcome)
                .containsExactly(DeploymentOutcome.SUCCEEDED, DeploymentOutcome.ROLLED_BACK);
        assertThat(finished.get(1).summary().activeVersion()).isEqualTo("2.3.0");
    }

    @Test
    void aSucceededDeploymentSupersededByANewerOneIsNotRolledBack() {
        String service = uniqueService("superseded");
        String older = start(service, target.url(), "\"strategy\": {\"steps\": [{\"setWeight\": 100}]}");
        awaitStatus(older, "SUCCEEDED");
        String newer = start(service, target.url(), "\"strategy\": {\"steps\": [{\"setWeight\": 5}, {\"pause\": {}}]}");
        awaitStatus(newer, "AWAITING_APPROVAL");

        kafka.send(rollback(older, service, Trigger.MANUAL, "operator: roll back 2.4.0"));
        RollbackCompleted refused = kafka.awaitEvent(Topics.ROLLBACK_COMPLETED, older, RollbackCompleted.class, WAIT)
                .data();
        assertThat(refused.outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(refused.detail()).contains("superseded by deployment " + newer);
        given().when().get("/api/v1/deployments/" + older).then().body("status", equalTo("SUCCEEDED"));
        assertThat(target.callsFor(older, "rollback")).isEmpty();
        assertThat(target.callsFor(newer, "rollback")).isEmpty();
    }

    @Test
    void aRollbackWhoseRestoredVersionFailsItsHealthProbeIsUnverifiedButRolledBack() {
        try (TargetStub restoredSick = new TargetStub(TargetStub.TEST_SECRET)) {
            restoredSick.healthAfterRollback(503);
            String service = uniqueService("unverified");
            String id = start(service, restoredSick.url(),
                    "\"strategy\": {\"steps\": [{\"setWeight\": 5}, {\"pause\": {}}]}");
            awaitStatus(id, "AWAITING_APPROVAL");

            kafka.send(rollback(id, service, Trigger.AUTOMATIC, "error rate 8% > 5% sustained"));
            awaitStatus(id, "ROLLED_BACK");
            RollbackCompleted completed = kafka.awaitEvent(Topics.ROLLBACK_COMPLETED, id, RollbackCompleted.class,
                    WAIT).data();
            assertThat(completed.outcome()).isEqualTo(RollbackOutcome.UNVERIFIED);
            assertThat(completed.health()).isEqualTo("health 503");
            assertThat(completed.toVersion()).isEqualTo("2.3.0");
            assertThat(restoredSick.callsFor(id, "rollback")).hasSize(1);
            given().when().get("/api/v1/deployments/" + id).then()
                    .body("statusReason", containsString("rollback UNVERIFIED: health 503"));
        }
    }

    @Test
    void anInconclusiveAnalysisAsksTheOperatorsAndSaysWhy() {
        String id = Rollouts.start(uniqueService("unclear"), """
                [{"setWeight": 5}, {"analysis": {"duration": "5m"}}, {"setWeight": 100}]""");
        kafka.send(verdict(id, 1, Verdict.INCONCLUSIVE));
        awaitStatus(id, "AWAITING_APPROVAL");
        ApprovalRequested asked = approvals(id, 1).get(0);
        assertThat(asked.stepIndex()).isEqualTo(1);
        assertThat(asked.reason()).startsWith("analysis inconclusive");
        assertThat(asked.approvers()).isEqualTo("operator");
    }

    @Test
    void aFailedAnalysisSaysItsVerdict() {
        String id = Rollouts.start(uniqueService("verdict"), """
                [{"setWeight": 5}, {"analysis": {"duration": "5m"}}, {"setWeight": 100}]""");
        kafka.send(verdict(id, 1, Verdict.ERROR));
        awaitStatus(id, "PAUSED");
        List<StepCompleted> completed = await().atMost(WAIT).until(() -> data(
                kafka.eventsAbout(Topics.STEP_COMPLETED, id), StepCompleted.class), l -> l.size() == 2);
        assertThat(completed.get(1).verdict()).isEqualTo(Verdict.ERROR);
        assertThat(completed.get(1).outcome()).isEqualTo(StepOutcome.FAILED);
    }
}
