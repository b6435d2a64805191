package dev.rollwatch.monitor;

import dev.rollwatch.events.AnalysisCompleted;
import dev.rollwatch.events.AnalysisSpec;
import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepOutcome;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.events.StepStarted;
import dev.rollwatch.events.Target;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Topics;
import dev.rollwatch.events.Verdict;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.rollwatch.monitor.Deployments.DEPLOY_SOURCE;
import static dev.rollwatch.monitor.Deployments.errorRate;
import static dev.rollwatch.monitor.RunbookJudgementIT.canaryCriterion;
import static dev.rollwatch.monitor.RunbookJudgementIT.push;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A phase retried after a step back (deploy-service {@code onFailure: stepBack, afterStepBack: continue}), with the
 * events deploy-service sends: the 25 % phase's analysis step fails its criterion, the step is aborted, the previous
 * phase's setWeight (5 %) comes again at a lower index, then the failed phase re-runs from its setWeight. The watch
 * follows the step back's weight, the retried analysis step is judged afresh and answers with its own
 * AnalysisCompleted (a new event id).
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class StepBackRetryIT {

    private static KafkaTestClient kafka;
    private static final Duration LONG = Duration.ofSeconds(90);

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private static String analysis(String id) {
        return "/api/v1/deployments/" + id + "/analysis";
    }

    private static void awaitStep(String id, int stepIndex, int weight) {
        await().atMost(LONG).untilAsserted(() -> given().when().get(analysis(id)).then()
                .body("stepIndex", equalTo(stepIndex)).body("weight", equalTo(weight)));
    }

    private static void send(String id, EventData data) {
        kafka.send(Envelope.of(DEPLOY_SOURCE, id, data));
    }

    private static String analysisCompletedId(String id, String name) {
        return UUID.nameUUIDFromBytes(("analysis-completed/" + id + "/" + name).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    @Test
    void aPhaseRetriedAfterAStepBackIsJudgedAfreshAndGivesItsOwnVerdict() {
        String id = Deployments.newId();
        String service = Deployments.service("stepback");
        // Runbook 004: 5 %, 25 % with its analysis (canary error rate < 0.5 %), 100 %.
        kafka.send(Envelope.of(DEPLOY_SOURCE, id, new DeploymentStarted(service, "production", "2.4.0", "2.3.0",
                new Target("http", "http://127.0.0.1:8090", null),
                List.of(StepSpec.setWeight(5), StepSpec.setWeight(25),
                        StepSpec.analysis(Duration.ofMinutes(2), List.of(canaryCriterion())), StepSpec.setWeight(100)),
                new AnalysisSpec(List.of(errorRate(1, Severity.P1))), "alice", DeploymentStarted.ON_FAILURE_STEP_BACK,
                DeploymentStarted.AFTER_STEP_BACK_CONTINUE, null, null)));
        await().atMost(LONG).until(() -> given().when().get(analysis(id)).then().extract().statusCode() == 200);

        send(id, new StepStarted(0, StepKind.SET_WEIGHT, 5, null));
        send(id, new StepCompleted(0, StepKind.SET_WEIGHT, StepOutcome.SUCCEEDED, 5, 10, null));
        send(id, new StepStarted(1, StepKind.SET_WEIGHT, 25, null));
        send(id, new StepCompleted(1, StepKind.SET_WEIGHT, StepOutcome.SUCCEEDED, 25, 10, null));
        // Attempt 1: long enough that its deadline never comes before the step back.
        send(id, new StepStarted(2, StepKind.ANALYSIS, null, Instant.now().plusSeconds(120)));
        awaitStep(id, 2, 25);

        // 0.8 % fails the 0.5 % criterion: a criteria breach.
        push(id, 0.008);
        ThresholdBreached breach = kafka.awaitEvent(Topics.THRESHOLD_BREACHED, id, ThresholdBreached.class, LONG)
                .data();
        assertThat(breach.check()).isEqualTo("canary-error-rate@step2");
        assertThat(breach.kind()).isEqualTo(ThresholdBreached.KIND_CRITERIA);

        // The deploy service steps back: the analysis step aborted, the previous phase's setWeight again (a lower
        // index than the watch's), RollbackCompleted(STEPPED_BACK).
        send(id, new StepCompleted(2, StepKind.ANALYSIS, StepOutcome.ABORTED, null, 1000, "stepping back"));
        send(id, new StepStarted(0, StepKind.SET_WEIGHT, 5, null));
        send(id, new StepCompleted(0, StepKind.SET_WEIGHT, StepOutcome.SUCCEEDED, 5, 10,
                "stepped back from 25% to 5%"));
        send(id, new RollbackCompleted(service, "production", RollbackOutcome.STEPPED_BACK, null, 100, 900L,
                "stepped back from 25% to 5%", 5, null));
        awaitStep(id, 0, 5);

        // The failed phase again, the version healed: setWeight 25 %, then the analysis step with the same index.
        send(id, new StepStarted(1, StepKind.SET_WEIGHT, 25, null));
        send(id, new StepCompleted(1, StepKind.SET_WEIGHT, StepOutcome.SUCCEEDED, 25, 10, null));
        send(id, new StepStarted(2, StepKind.ANALYSIS, null, Instant.now().plusSeconds(10)));
        awaitStep(id, 2, 25);
        push(id, 0.001);
        push(id, 0.002);

        Envelope<AnalysisCompleted> verdict = kafka.awaitEvent(Topics.ANALYSIS_COMPLETED, id,
                AnalysisCompleted.class, LONG);
        assertThat(verdict.data().stepIndex()).isEqualTo(2);
        assertThat(verdict.data().verdict()).as("judged afresh: the first attempt's failing reading is not the "
                + "retry's").isEqualTo(Verdict.SUCCESSFUL);
        assertThat(verdict.id()).as("the retry's verdict is a new event, not the first attempt's")
                .isEqualTo(analysisCompletedId(id, "2/1")).isNotEqualTo(analysisCompletedId(id, "2"));
        assertThat(kafka.eventsAbout(Topics.ANALYSIS_COMPLETED, id)).as("the aborted attempt gives no verdict")
                .hasSize(1);
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).as("no breach in the healthy retry")
                .hasSize(1);
    }
}
