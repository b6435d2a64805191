package dev.rollwatch.monitor;

import dev.rollwatch.events.AnalysisCompleted;
import dev.rollwatch.events.AnalysisSpec;
import dev.rollwatch.events.BakeCheckpoint;
import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.DeploymentSummary;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.RollbackVerified;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepOutcome;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.events.StepStarted;
import dev.rollwatch.events.Target;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Topics;
import dev.rollwatch.events.Trigger;
import dev.rollwatch.events.Verdict;
import dev.rollwatch.monitor.domain.MeasurementOutcome;
import dev.rollwatch.monitor.provider.Reading;
import dev.rollwatch.monitor.service.SampleEvaluator;
import dev.rollwatch.monitor.service.SampleEvaluator.CheckEvaluation;
import dev.rollwatch.monitor.service.SampleEvaluator.CheckReading;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.rollwatch.monitor.Deployments.DEPLOY_SOURCE;
import static dev.rollwatch.monitor.Deployments.errorRate;
import static dev.rollwatch.monitor.Deployments.sample;
import static dev.rollwatch.monitor.Deployments.samples;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Issue 15 on the monitor side, with pushed samples: a step's own criteria judged only during the step, the bake
 * window after SUCCEEDED with its checkpoints and {@code phase: bake} breaches, and the verification of a rollback's
 * restored version (bake window and verify window are seconds in %test).
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class RunbookJudgementIT {

    private static KafkaTestClient kafka;

    @Inject
    SampleEvaluator evaluator;
    /** Generous: on a loaded machine the first DeploymentStarted after start-up can wait for a consumer rebalance. */
    private static final Duration LONG = Duration.ofSeconds(90);

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    /** A canary: setWeight 5, an analysis step with {@code criteria}, setWeight 100; checks error rate > 1 % P1. */
    static Envelope<DeploymentStarted> start(String id, String service, List<CheckSpec> criteria,
            Duration bakeWindow) {
        Envelope<DeploymentStarted> event = Envelope.of(DEPLOY_SOURCE, id, new DeploymentStarted(service,
                "production", "2.4.0", "2.3.0", new Target("http", "http://127.0.0.1:8090", null),
                List.of(StepSpec.setWeight(5), StepSpec.analysis(Duration.ofMinutes(2), criteria),
                        StepSpec.setWeight(100)),
                new AnalysisSpec(List.of(errorRate(1, Severity.P1))), "alice", null, null, bakeWindow, null));
        kafka.send(event);
        await().atMost(LONG).until(() -> given().when().get("/api/v1/deployments/" + id + "/analysis")
                .then().extract().statusCode() == 200);
        return event;
    }

    static void push(String id, double errorRate) {
        given().contentType(ContentType.JSON).body(samples(id, sample("error_rate", errorRate)))
                .when().post("/api/v1/samples").then().statusCode(202);
    }

    static void pushVersion(String id, String version, double errorRate) {
        given().contentType(ContentType.JSON).body(samples(id, "{\"metric\": \"error_rate\", \"value\": "
                + errorRate + ", \"version\": \"" + version + "\"}")).when().post("/api/v1/samples").then()
                .statusCode(202);
    }

    static void awaitStatus(String id, String status) {
        await().atMost(LONG).untilAsserted(() -> given().when().get("/api/v1/deployments/" + id + "/analysis")
                .then().body("status", equalTo(status)));
    }

    static Envelope<DeploymentFinished> finished(String id, String service, DeploymentOutcome outcome) {
        return Envelope.of(DEPLOY_SOURCE, id, new DeploymentFinished(outcome, new DeploymentSummary(service,
                "production", "2.4.0", outcome == DeploymentOutcome.SUCCEEDED ? "2.4.0" : "2.3.0", 3, 3, 100, 100,
                1000, null)));
    }

    static Envelope<RollbackCompleted> rolledBack(String id, String service, RollbackOutcome outcome) {
        return Envelope.of("/rollwatch/deploy-service", id, new RollbackCompleted(service, "production", outcome,
                "2.3.0", 120, 900L, "rolled back"));
    }

    static CheckSpec canaryCriterion() {
        // Runbook 004: canary 5 % error rate < 0.5 %.
        return new CheckSpec("canary-error-rate", "push", "error_rate", null, null, 0.005, null, null, 1, null,
                null);
    }

    @Test
    void aStepsCriterionIsJudgedOnlyDuringItsStepAndFailsItWithACriteriaBreach() {
        String id = Deployments.newId();
        String service = Deployments.service("criteria");
        start(id, service, List.of(canaryCriterion()), null);

        // Before the analysis step: 0.8 % errors is within the deployment's 1 %, and the criterion is not judged.
        push(id, 0.008);
        // 30 s long, so that a loaded machine still pushes the sample inside it.
        Envelope<StepStarted> step = Envelope.of(DEPLOY_SOURCE, id, new StepStarted(1, StepKind.ANALYSIS, null,
                Instant.now().plusSeconds(30)));
        kafka.send(step);
        await().atMost(LONG).untilAsserted(() -> given().when().get("/api/v1/deployments/" + id + "/analysis")
                .then().body("stepIndex", equalTo(1)));
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).isEmpty();

        // During the step: 0.8 % fails the canary's 0.5 % criterion.
        push(id, 0.008);
        ThresholdBreached breach = kafka.awaitEvent(Topics.THRESHOLD_BREACHED, id, ThresholdBreached.class, LONG)
                .data();
        assertThat(breach.kind()).isEqualTo(ThresholdBreached.KIND_CRITERIA);
        assertThat(breach.check()).isEqualTo("canary-error-rate@step1");
        assertThat(breach.severity()).isEqualTo(Severity.P1);
        assertThat(breach.stepIndex()).isEqualTo(1);
        assertThat(breach.threshold()).isEqualTo(0.005);
        assertThat(breach.phase()).isEqualTo(ThresholdBreached.PHASE_ROLLOUT);
        assertThat(breach.stepStartedAt()).isNotNull();
        assertThat(breach.deploymentStartedAt()).isNotNull();

        AnalysisCompleted verdict = kafka.awaitEvent(Topics.ANALYSIS_COMPLETED, id, AnalysisCompleted.class, LONG)
                .data();
        assertThat(verdict.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(verdict.checks()).extracting(c -> c.name() + "=" + c.verdict())
                .containsExactly("error-rate=SUCCESSFUL", "canary-error-rate@step1=FAILED");

        // After the step's StepCompleted the criterion is no longer judged.
        kafka.send(Envelope.of(DEPLOY_SOURCE, id, new StepCompleted(1, StepKind.ANALYSIS, StepOutcome.FAILED, null,
                8000, "criteria failed", Verdict.FAILED)));
        await().atMost(LONG).untilAsserted(() -> given().when().get("/api/v1/deployments/" + id + "/analysis")
                .then().body("checks.find { it.name == 'canary-error-rate@step1' }.measurements", equalTo(1)));
        await().pollDelay(Duration.ofSeconds(2)).atMost(LONG).until(() -> true);
        push(id, 0.009);
        given().when().get("/api/v1/deployments/" + id + "/analysis").then()
                .body("checks.find { it.name == 'canary-error-rate@step1' }.measurements", equalTo(1))
                .body("checks.find { it.name == 'error-rate' }.measurements", equalTo(3));
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).hasSize(1);
    }

    @Test
    void aSucceededDeploymentBakesWithCheckpointsAndItsBreachesArePhaseBake() {
        String id = Deployments.newId();
        String service = Deployments.service("bake");
        // The deployment's own bake window (15 s) overrides the monitor's default.
        Envelope<DeploymentStarted> started = start(id, service, null, Duration.ofSeconds(15));
        kafka.send(finished(id, service, DeploymentOutcome.SUCCEEDED));
        awaitStatus(id, "BAKING");

        push(id, 0.08);
        ThresholdBreached breach = kafka.awaitEvent(Topics.THRESHOLD_BREACHED, id, ThresholdBreached.class, LONG)
                .data();
        assertThat(breach.phase()).isEqualTo(ThresholdBreached.PHASE_BAKE);
        assertThat(breach.kind()).isEqualTo(ThresholdBreached.KIND_THRESHOLD);

        // The 15/30/60 min checkpoints are beyond a 15 s window: only its end, the last one.
        Envelope<BakeCheckpoint> checkpoint = kafka.awaitEvent(Topics.BAKE_CHECKPOINTS, id, BakeCheckpoint.class,
                LONG);
        assertThat(checkpoint.causationId()).isEqualTo(started.id());
        assertThat(checkpoint.data().last()).isTrue();
        assertThat(checkpoint.data().index()).isEqualTo(1);
        assertThat(checkpoint.data().of()).isEqualTo(1);
        assertThat(checkpoint.data().bakeWindow()).isEqualTo(Duration.ofSeconds(15));
        assertThat(checkpoint.data().after()).isEqualTo(Duration.ofSeconds(15));
        assertThat(checkpoint.data().verdict()).isEqualTo(Verdict.FAILED);
        assertThat(checkpoint.data().checks()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("error-rate");
            assertThat(c.measurements()).isEqualTo(1);
            assertThat(c.observed()).isEqualTo(0.08);
        });
        awaitStatus(id, "STOPPED");
        assertThat(kafka.eventsAbout(Topics.BAKE_CHECKPOINTS, id)).hasSize(1);
    }

    @Test
    void aRollbackRequestEndsTheBakeWindow() {
        String id = Deployments.newId();
        String service = Deployments.service("bake-rb");
        start(id, service, null, Duration.ofMinutes(10));
        kafka.send(finished(id, service, DeploymentOutcome.SUCCEEDED));
        awaitStatus(id, "BAKING");

        kafka.send(Envelope.of("/rollwatch/rollback-service", id, new RollbackRequested(service, "production",
                Trigger.MANUAL, "operator", List.of(), null, null, "2.4.0", "2.3.0", "bob", null)));
        awaitStatus(id, "STOPPED");
        assertThat(kafka.eventsAbout(Topics.BAKE_CHECKPOINTS, id)).isEmpty();
    }

    @Test
    void aRollbackToAHealthyVersionIsVerifiedWithEveryChecksFigures() {
        String id = Deployments.newId();
        String service = Deployments.service("verify-ok");
        start(id, service, null, null);
        Envelope<RollbackCompleted> completed = rolledBack(id, service, RollbackOutcome.SUCCEEDED);
        kafka.send(completed);
        awaitStatus(id, "VERIFYING");
        // The deployment finished ROLLED_BACK meanwhile: the verification goes on.
        kafka.send(finished(id, service, DeploymentOutcome.ROLLED_BACK));

        pushVersion(id, "2.3.0", 0.001);
        pushVersion(id, "2.4.0", 0.5); // the rolled-back version's figures are not judged any more

        Envelope<RollbackVerified> verified = kafka.awaitEvent(Topics.ROLLBACK_VERIFICATIONS, id,
                RollbackVerified.class, LONG);
        assertThat(verified.causationId()).isEqualTo(completed.id());
        assertThat(verified.data().outcome()).isEqualTo(RollbackVerified.VERIFIED);
        assertThat(verified.data().version()).isEqualTo("2.3.0");
        assertThat(verified.data().window()).isEqualTo(Duration.ofSeconds(20));
        assertThat(verified.data().checks()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("error-rate");
            assertThat(c.verdict()).isEqualTo(Verdict.SUCCESSFUL);
            assertThat(c.observed()).isEqualTo(0.001);
        });
        awaitStatus(id, "STOPPED");
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).isEmpty();
    }

    /**
     * A poll that began while the canary was watched and ends after the rollback's verification started carries the
     * canary's last errors: judging it as the restored version's made healthy rollbacks UNVERIFIED (and paged) on a
     * loaded machine (system-tests ConcurrentDeploymentsIT, ScaleOutIT).
     */
    @Test
    void aReadingOfTheRolledBackVersionThatEndsDuringTheVerificationIsNotJudged() {
        String id = Deployments.newId();
        String service = Deployments.service("verify-late-reading");
        start(id, service, null, null);
        kafka.send(rolledBack(id, service, RollbackOutcome.SUCCEEDED));
        awaitStatus(id, "VERIFYING");

        assertThat(evaluator.measured(id, "error-rate", "2.4.0", Reading.of(0.08, Instant.now()))).isNull();
        assertThat(evaluator.measured(id, "error-rate", "2.3.0", Reading.of(0.001, Instant.now()))).isNotNull();

        RollbackVerified verified = kafka.awaitEvent(Topics.ROLLBACK_VERIFICATIONS, id, RollbackVerified.class, LONG)
                .data();
        assertThat(verified.outcome()).isEqualTo(RollbackVerified.VERIFIED);
        assertThat(verified.checks()).singleElement().satisfies(c -> assertThat(c.observed()).isEqualTo(0.001));
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).isEmpty();
    }

    /**
     * A poll round is recorded in one transaction, yet each reading by its own rules and in the round's order: a
     * check that is not there, a NOT_YET reading and a round of the rolled-back version record nothing, and the
     * reading after the one that made the verification UNVERIFIED finds the watch stopped, as it would have in a
     * transaction of its own.
     */
    @Test
    void aPollRoundJudgesEachReadingByItsOwnRulesInTheRoundsOrder() {
        String id = Deployments.newId();
        String service = Deployments.service("verify-round");
        start(id, service, null, null);
        kafka.send(rolledBack(id, service, RollbackOutcome.SUCCEEDED));
        awaitStatus(id, "VERIFYING");
        Instant at = Instant.now();

        assertThat(evaluator.measured(id, "2.4.0", List.of(new CheckReading("error-rate", Reading.of(0.08, at)),
                new CheckReading("error-rate", Reading.of(0.09, at))))).containsExactly(null, null);

        List<CheckEvaluation> round = evaluator.measured(id, "2.3.0", List.of(
                new CheckReading("no-such-check", Reading.of(0.5, at)),
                new CheckReading("error-rate", Reading.notYet("the first scrape is only a baseline")),
                new CheckReading("error-rate", Reading.of(0.08, at)),
                new CheckReading("error-rate", Reading.of(0.001, at))));
        assertThat(round).hasSize(4);
        assertThat(round.get(0)).isNull();
        assertThat(round.get(1)).isNull();
        assertThat(round.get(2).outcome()).isEqualTo(MeasurementOutcome.FAILED);
        assertThat(round.get(2).compared()).isEqualTo(0.08);
        assertThat(round.get(3)).as("a reading after the watch stopped").isNull();

        RollbackVerified unverified = kafka.awaitEvent(Topics.ROLLBACK_VERIFICATIONS, id, RollbackVerified.class,
                LONG).data();
        assertThat(unverified.outcome()).isEqualTo(RollbackVerified.UNVERIFIED);
        assertThat(unverified.detail()).contains("0.08");
        given().when().get("/api/v1/deployments/" + id + "/analysis").then()
                .body("status", equalTo("STOPPED"))
                .body("checks[0].measurements", equalTo(1))
                .body("checks[0].lastValue", equalTo(0.08f));
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).isEmpty();
    }

    @Test
    void aRollbackToAFailingVersionIsUnverifiedAtOnceAndNoBreach() {
        String id = Deployments.newId();
        String service = Deployments.service("verify-bad");
        start(id, service, null, null);
        kafka.send(rolledBack(id, service, RollbackOutcome.UNVERIFIED));
        awaitStatus(id, "VERIFYING");

        push(id, 0.08); // no version: the restored one is measured now
        RollbackVerified unverified = kafka.awaitEvent(Topics.ROLLBACK_VERIFICATIONS, id, RollbackVerified.class,
                LONG).data();
        assertThat(unverified.outcome()).isEqualTo(RollbackVerified.UNVERIFIED);
        assertThat(unverified.check()).isEqualTo("error-rate");
        assertThat(unverified.detail()).contains("0.08").contains("0.01").contains("2.3.0");
        awaitStatus(id, "STOPPED");
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).isEmpty();
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_VERIFICATIONS, id)).hasSize(1);
    }

    @Test
    void aSteppedBackRollbackStartsNoVerification() {
        String id = Deployments.newId();
        String service = Deployments.service("stepped");
        start(id, service, null, null);
        kafka.send(rolledBack(id, service, RollbackOutcome.STEPPED_BACK));
        await().pollDelay(Duration.ofSeconds(6)).atMost(LONG).until(() -> true);
        given().when().get("/api/v1/deployments/" + id + "/analysis").then().body("status", equalTo("ACTIVE"));
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_VERIFICATIONS, id)).isEmpty();
    }
}
