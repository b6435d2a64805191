package dev.rollwatch.rollback;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.rollwatch.rollback.Fixtures.WAIT;
import static dev.rollwatch.rollback.Fixtures.breach;
import static dev.rollwatch.rollback.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * What the console's decision panel reads about a rolled-back deployment: the rule, the policy pack and version, the
 * measured value against the threshold, the action and the time from detection (breach observed) to the rollback
 * decision — from the deployment and from the decision list, for a deployer of the service and nobody else's.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class DecisionPanelIT {

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void aRolledBackDeploymentShowsTheRuleThePolicyTheFiguresAndTheDetectionToRollbackTime() {
        String service = unique("panel");
        String id = Fixtures.start(kafka, service, "2.4.0", "2.3.0");
        // Observed 1.5 s before it reaches the service: detection to rollback is at least that.
        Envelope<ThresholdBreached> p0 = breach(id, service, "2.4.0", Severity.P0, "error-rate",
                Instant.now().minusMillis(1500));
        kafka.send(p0);
        String deployer = TestTokens.builder().subject("deployer-panel").roles("deployer").services(service).bearer();

        JsonPath deployment = await().atMost(WAIT).until(() -> given().header("Authorization", deployer)
                .get("/api/v1/deployments/" + id).then().statusCode(200).extract().jsonPath(),
                d -> d.get("rollbackDecision") != null);
        Map<String, Object> decision = deployment.getMap("rollbackDecision");
        assertThat(deployment.getString("rollbackDecisionId")).isEqualTo(decision.get("id"));
        assertThat(decision).containsEntry("action", "ROLLBACK").containsEntry("rule", "p0-immediate")
                .containsEntry("policyPack", "runbook@1").containsEntry("policyVersion", 2)
                .containsEntry("check", "error-rate").containsEntry("severity", "P0")
                .containsEntry("operator", "GT").containsEntry("breachEventId", p0.id());
        assertThat(((Number) decision.get("measured")).doubleValue()).isCloseTo(0.08, within(1e-6));
        assertThat(((Number) decision.get("threshold")).doubleValue()).isCloseTo(0.01, within(1e-6));
        long expected = Duration.between(Instant.parse((String) decision.get("observedAt")),
                Instant.parse((String) decision.get("decidedAt"))).toMillis();
        long detectionToRollback = ((Number) decision.get("detectionToRollbackMs")).longValue();
        assertThat(detectionToRollback).isEqualTo(expected).isGreaterThanOrEqualTo(1500);

        // The decision list of the deployment shows the same decision with the same figures.
        List<Map<String, Object>> items = given().header("Authorization", deployer).queryParam("deploymentId", id)
                .get("/api/v1/decisions").then().statusCode(200).extract().jsonPath().getList("items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0)).containsEntry("id", decision.get("id")).containsEntry("operator", "GT")
                .containsEntry("detectionToRollbackMs", decision.get("detectionToRollbackMs"));

        // A deployer of another service reads neither.
        String other = TestTokens.builder().subject("deployer-other").roles("deployer")
                .services(unique("elsewhere")).bearer();
        given().header("Authorization", other).get("/api/v1/deployments/" + id).then().statusCode(403);
        given().header("Authorization", other).queryParam("deploymentId", id).get("/api/v1/decisions").then()
                .statusCode(403);
    }

    @Test
    void aManualRollbackHasNoFiguresAndNoDetectionTime() {
        String service = unique("panel-manual");
        String id = Fixtures.start(kafka, service, "2.4.0", "2.3.0");
        given().header("Authorization", TestTokens.builder().subject("sre").roles("operator").services("*").bearer())
                .contentType(ContentType.JSON).body("{\"reason\": \"customers report errors\"}")
                .post("/api/v1/deployments/" + id + "/rollback").then().statusCode(202);

        Map<String, Object> decision = given().get("/api/v1/deployments/" + id).then().statusCode(200).extract()
                .jsonPath().getMap("rollbackDecision");
        assertThat(decision).containsEntry("action", "ROLLBACK").containsEntry("rule", "manual");
        assertThat(decision.get("measured")).isNull();
        assertThat(decision.get("threshold")).isNull();
        assertThat(decision.get("detectionToRollbackMs")).isNull();
    }
}
