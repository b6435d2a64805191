package dev.rollwatch.monitor;

import dev.rollwatch.events.AnalysisCompleted;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepOutcome;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.rollwatch.monitor.Deployments.DEPLOY_SOURCE;
import static dev.rollwatch.monitor.Deployments.WAIT;
import static dev.rollwatch.monitor.Deployments.errorRate;
import static dev.rollwatch.monitor.Deployments.sample;
import static dev.rollwatch.monitor.Deployments.samples;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The deployment's events travel on four topics with no order between them: a step (even an analysis step) or the
 * finish that the monitor receives before the DeploymentStarted is not lost, it is applied when the watch starts.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class EarlyEventsIT {

    private static final Pattern KEPT = Pattern.compile("^rollwatch_monitor_early_events_total(?:\\{[^}]*})? (\\S+)$",
            Pattern.MULTILINE);

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    static double kept() {
        Matcher m = KEPT.matcher(given().when().get("/q/metrics").then().statusCode(200).extract().asString());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void anAnalysisStepThatArrivesBeforeItsDeploymentOpensWhenTheWatchStarts() {
        String id = Deployments.newId();
        String service = Deployments.service("early");
        double before = kept();
        kafka.send(Envelope.of(DEPLOY_SOURCE, id, new StepCompleted(0, StepKind.SET_WEIGHT, StepOutcome.SUCCEEDED, 5,
                12, null)));
        Envelope<StepStarted> step = Envelope.of(DEPLOY_SOURCE, id, new StepStarted(1, StepKind.ANALYSIS, 5,
                Instant.now().plusSeconds(10)));
        kafka.send(step);
        await().atMost(WAIT).until(() -> kept() >= before + 2);
        given().when().get("/api/v1/deployments/" + id + "/analysis").then().statusCode(404);

        Deployments.startWatch(kafka, id, service, List.of(errorRate(1, Severity.P1)));
        given().when().get("/api/v1/deployments/" + id + "/analysis").then()
                .body("stepIndex", equalTo(1)).body("weight", equalTo(5));
        for (double v : new double[] {0.001, 0.002}) {
            given().contentType(ContentType.JSON).body(samples(id, sample("error_rate", v)))
                    .when().post("/api/v1/samples").then().statusCode(202);
        }

        Envelope<AnalysisCompleted> done = kafka.awaitEvent(Topics.ANALYSIS_COMPLETED, id, AnalysisCompleted.class,
                WAIT);
        assertThat(done.causationId()).isEqualTo(step.id());
        assertThat(done.data().stepIndex()).isEqualTo(1);
        assertThat(done.data().verdict()).as("measured during the step, not INCONCLUSIVE for want of a run")
                .isEqualTo(Verdict.SUCCESSFUL);
        assertThat(done.data().checks().get(0).measurements()).isEqualTo(2);
    }

    @Test
    void aFinishThatArrivesBeforeItsDeploymentStopsTheWatchAtOnce() {
        String id = Deployments.newId();
        String service = Deployments.service("early");
        double before = kept();
        kafka.send(WatchLifecycleIT.finished(id, service, DeploymentOutcome.ABORTED));
        await().atMost(WAIT).until(() -> kept() >= before + 1);

        Deployments.startWatch(kafka, id, service, List.of(errorRate(1, Severity.P1)));
        given().when().get("/api/v1/deployments/" + id + "/analysis").then()
                .body("status", equalTo("STOPPED")).body("finishOutcome", equalTo("ABORTED"));
    }
}
