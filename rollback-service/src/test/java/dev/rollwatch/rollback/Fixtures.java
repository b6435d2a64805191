package dev.rollwatch.rollback;

import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.DeploymentSummary;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.Operator;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.events.Target;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.ThresholdRecovered;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.TestTokens;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Events as the other services publish them, and the rollback service's API as a test reads it. */
final class Fixtures {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String DEPLOY = "/rollwatch/deploy-service";
    static final String MONITOR = "/rollwatch/monitor-service";
    static final String ENV = "production";

    private Fixtures() {
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Envelope<DeploymentStarted> started(String deploymentId, String service, String version,
            String previousVersion) {
        return Envelope.of(DEPLOY, deploymentId, new DeploymentStarted(service, ENV, version, previousVersion,
                new Target("http", "http://127.0.0.1:8090", null), List.of(StepSpec.setWeight(100)), null, "alice"));
    }

    /** Publishes DeploymentStarted and waits until the rollback service tracks the deployment. */
    static String start(KafkaTestClient kafka, String service, String version, String previousVersion) {
        String id = UUID.randomUUID().toString();
        kafka.send(started(id, service, version, previousVersion));
        await().atMost(WAIT).until(() -> given().get("/api/v1/deployments/" + id).statusCode() == 200);
        return id;
    }

    static Envelope<ThresholdBreached> breach(String deploymentId, String service, String version,
            Severity severity, String check, Instant observedAt) {
        return Envelope.of(MONITOR, deploymentId, new ThresholdBreached(service, ENV, version, check, "error_rate",
                "error_rate", List.of(0.02, 0.08), 0.01, Operator.GT, Duration.ofSeconds(30), severity, 2, 1,
                observedAt.truncatedTo(ChronoUnit.MICROS), null));
    }

    /** The monitor's ThresholdRecovered ending the episode {@code breach} opened, {@code after} its observation. */
    static Envelope<ThresholdRecovered> recovery(Envelope<ThresholdBreached> breach, Duration after) {
        ThresholdBreached b = breach.data();
        return Envelope.of(MONITOR, breach.subject(), new ThresholdRecovered(b.service(), b.environment(),
                b.version(), b.check(), b.metric(), breach.id(), b.observedAt(), b.observedAt().plus(after),
                List.of(0.004, 0.003), b.threshold(), b.operator(), b.severity(), null)).causedBy(breach);
    }

    static Envelope<DeploymentFinished> finished(String deploymentId, String service, String version,
            DeploymentOutcome outcome) {
        return Envelope.of(DEPLOY, deploymentId, new DeploymentFinished(outcome, new DeploymentSummary(service, ENV,
                version, version, 1, 1, 100, 100, 1000, null)));
    }

    static Envelope<RollbackCompleted> rollbackCompleted(String deploymentId, String service, String toVersion,
            RollbackOutcome outcome) {
        return Envelope.of(DEPLOY, deploymentId, new RollbackCompleted(service, ENV, outcome, toVersion, 12, 40L,
                outcome == RollbackOutcome.FAILED ? "target refused the rollback" : "target set back"));
    }

    /** Changes the policy of {@code service} in production as operator sre; {@code fields} is the body without why. */
    static void policy(String service, String fields) {
        given().header("Authorization", TestTokens.builder().subject("sre").roles("operator").services("*").bearer())
                .contentType(io.restassured.http.ContentType.JSON)
                .body("{" + fields + ", \"reason\": \"test\"}")
                .put("/api/v1/policies/" + service + "/" + ENV).then().statusCode(200);
    }

    /** The decisions about a deployment, oldest first. */
    static List<Map<String, Object>> decisions(String deploymentId) {
        JsonPath page = given().queryParam("deploymentId", deploymentId).queryParam("size", 200)
                .get("/api/v1/decisions").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> items = new ArrayList<>(page.getList("items"));
        Collections.reverse(items);
        return items;
    }

    static List<Map<String, Object>> awaitDecisions(String deploymentId, int count) {
        return await().atMost(WAIT).until(() -> decisions(deploymentId), list -> list.size() >= count);
    }

    static List<String> actions(List<Map<String, Object>> decisions) {
        return decisions.stream().map(d -> (String) d.get("action")).toList();
    }
}
