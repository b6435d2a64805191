package dev.rollwatch.monitor;

import dev.rollwatch.events.AnalysisCompleted;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepStarted;
import dev.rollwatch.events.Topics;
import dev.rollwatch.events.Verdict;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.rollwatch.monitor.Deployments.DEPLOY_SOURCE;
import static dev.rollwatch.monitor.Deployments.WAIT;
import static dev.rollwatch.monitor.Deployments.errorRate;
import static dev.rollwatch.monitor.Deployments.sample;
import static dev.rollwatch.monitor.Deployments.samples;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Analysis steps end with one AnalysisCompleted judging what was measured during the step. */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class AnalysisStepIT {

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    /**
     * Starts a watch and its analysis step 1 (10 s long, so that a loaded machine still pushes the samples inside
     * it), pushes the values, returns the step's StepStarted.
     */
    static Envelope<StepStarted> analyse(String id, double... values) {
        Deployments.startWatch(kafka, id, Deployments.service("analysis"), List.of(errorRate(1, Severity.P1)));
        Envelope<StepStarted> step = Envelope.of(DEPLOY_SOURCE, id, new StepStarted(1, StepKind.ANALYSIS, null,
                Instant.now().plusSeconds(10)));
        kafka.send(step);
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> given().when()
                .get("/api/v1/deployments/" + id + "/analysis").then().extract().<Integer>path("stepIndex") != null);
        for (double v : values) {
            given().contentType(ContentType.JSON).body(samples(id, sample("error_rate", v)))
                    .when().post("/api/v1/samples").then().statusCode(202);
        }
        return step;
    }

    @Test
    void goodMeasurementsAreSuccessfulBadOnesFailedAndNoDataInconclusive() {
        String good = Deployments.newId();
        String bad = Deployments.newId();
        String silent = Deployments.newId();
        Envelope<StepStarted> goodStep = analyse(good, 0.001, 0.002, 0.003);
        analyse(bad, 0.001, 0.08);
        analyse(silent);

        Envelope<AnalysisCompleted> ok = kafka.awaitEvent(Topics.ANALYSIS_COMPLETED, good, AnalysisCompleted.class,
                WAIT);
        assertThat(ok.causationId()).isEqualTo(goodStep.id());
        assertThat(ok.key()).isEqualTo(good);
        assertThat(ok.data().stepIndex()).isEqualTo(1);
        assertThat(ok.data().verdict()).isEqualTo(Verdict.SUCCESSFUL);
        assertThat(ok.data().checks()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("error-rate");
            assertThat(c.measurements()).isEqualTo(3);
            assertThat(c.failures()).isZero();
            assertThat(c.observed()).isEqualTo(0.003);
            assertThat(c.max()).isEqualTo(0.01);
        });

        AnalysisCompleted failed = kafka.awaitEvent(Topics.ANALYSIS_COMPLETED, bad, AnalysisCompleted.class, WAIT)
                .data();
        assertThat(failed.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(failed.checks().get(0).failures()).isEqualTo(1);
        assertThat(failed.checks().get(0).observed()).isEqualTo(0.08);

        AnalysisCompleted none = kafka.awaitEvent(Topics.ANALYSIS_COMPLETED, silent, AnalysisCompleted.class, WAIT)
                .data();
        assertThat(none.verdict()).as("no data is never success").isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(none.checks().get(0).measurements()).isZero();

        assertThat(kafka.eventsAbout(Topics.ANALYSIS_COMPLETED, good)).hasSize(1);
    }
}
