package dev.rollwatch.deploy;

import dev.rollwatch.events.BakeCheckpoint;
import dev.rollwatch.events.CheckResult;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.Trigger;
import dev.rollwatch.events.Verdict;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
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
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runbooks' metrics summary over the API: the report's figures (target, actual, met) from the history and the
 * monitor's bake checkpoints read from Kafka, and the per-service summary with its success rate.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class ReportIT {

    private static final String QUICK = "[{\"setWeight\": 100}]";
    private static KafkaTestClient kafka;

    @BeforeAll
    static void setUp() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void tearDown() {
        kafka.close();
    }

    @Test
    void theReportHoldsEachFigureAgainstItsRunbookTargetIncludingTheBakeWindowsAvailability() {
        String service = Rollouts.uniqueService("report");
        String id = start(service, QUICK);
        awaitStatus(id, "SUCCEEDED");
        Instant succeededAt = Instant.parse(given().when().get("/api/v1/deployments/" + id).then().extract()
                .path("finishedAt"));

        kafka.send(checkpoint(id, service, succeededAt, 1, false, 0.9995, 0.001));
        kafka.send(checkpoint(id, service, succeededAt, 2, true, 0.9992, 0.002));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(report(id).<Boolean>get("figures.bakeAvailability.met")).isEqualTo(Boolean.TRUE));

        JsonPath r = report(id);
        assertThat(r.getDouble("figures.bakeAvailability.actual")).as("the lowest checkpoint")
                .isCloseTo(0.9992, within());
        assertThat(r.getDouble("figures.bakeAvailability.target")).isCloseTo(0.999, within());
        assertThat(r.getString("figures.totalDuration.comparison")).isEqualTo("<");
        assertThat(r.getDouble("figures.totalDuration.target")).isEqualTo(3_600_000.0);
        assertThat(r.getBoolean("figures.totalDuration.met")).isTrue();
        assertThat(r.getDouble("figures.downtime.actual")).isZero();
        assertThat(r.getBoolean("figures.downtime.met")).isTrue();
        assertThat(r.getDouble("figures.firstHourErrorRate.actual")).as("both checkpoints are in the first hour")
                .isCloseTo(0.002, within());
        assertThat(r.getString("figures.firstHourErrorRate.met")).as("the hour is not over").isNull();
        assertThat(r.getString("figures.detectionToRollback.actual")).isNull();
        assertThat(r.getString("figures.smokePassRate.actual")).as("no smoke step").isNull();
        // Existing fields stay.
        assertThat(r.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(r.getLong("totalDurationMs")).isPositive();
    }

    @Test
    void theServiceSummaryCountsOutcomesAgainstTheSuccessRateTargetAndIsScopedToTheCallersServices() {
        String service = Rollouts.uniqueService("summary");
        String staging = start(service, "staging", QUICK);
        awaitStatus(staging, "SUCCEEDED");
        String production = start(service, "production", QUICK);
        awaitStatus(production, "SUCCEEDED");
        String bad = start(service, "production", "[{\"setWeight\": 5}, {\"pause\": {}}]");
        awaitStatus(bad, "AWAITING_APPROVAL");
        kafka.send(Envelope.of("/rollwatch/rollback-service", bad, new RollbackRequested(service, "production",
                Trigger.AUTOMATIC, "error rate 8% > 5% sustained", List.of(UUID.randomUUID().toString()),
                "error-rate-sustained", 1, "2.4.0", "2.3.0", "rollback-service", Instant.now().minusMillis(300))));
        awaitStatus(bad, "ROLLED_BACK");
        String aborted = start(service, "qa", "[{\"setWeight\": 5}, {\"pause\": {}}]");
        awaitStatus(aborted, "AWAITING_APPROVAL");
        given().header("Authorization", Rollouts.as("alice")).contentType("application/json")
                .body(Rollouts.decision("wrong build")).when().post("/api/v1/deployments/" + aborted + "/abort")
                .then().statusCode(200);

        JsonPath rolledBack = report(bad);
        assertThat(rolledBack.getDouble("figures.detectionToRollback.actual")).isGreaterThanOrEqualTo(300.0);
        assertThat(rolledBack.getBoolean("figures.detectionToRollback.met")).as("well under 5 minutes").isTrue();

        String deployer = TestTokens.builder().subject("dee").roles("deployer").services(service).bearer();
        JsonPath s = given().header("Authorization", deployer).when().get("/api/v1/services/" + service + "/summary")
                .then().statusCode(200).extract().jsonPath();
        assertThat(s.getLong("deployments")).isEqualTo(4);
        assertThat(s.getLong("byStatus.SUCCEEDED")).isEqualTo(2);
        assertThat(s.getLong("byStatus.ROLLED_BACK")).isEqualTo(1);
        assertThat(s.getLong("byStatus.ABORTED")).isEqualTo(1);
        assertThat(s.getDouble("successRate.actual")).as("aborted not counted").isCloseTo(2.0 / 3, within());
        assertThat(s.getDouble("successRate.target")).isCloseTo(0.95, within());
        assertThat(s.getBoolean("successRate.met")).isFalse();
        assertThat(s.getLong("durationMs.count")).isEqualTo(2);
        assertThat(s.getDouble("durationMs.p50")).isPositive();
        assertThat(s.getLong("detectionToRollbackMs.count")).isEqualTo(1);
        assertThat(s.getString("lastSucceeded.production.version")).isEqualTo("2.4.0");
        assertThat(s.getString("lastSucceeded.production.deploymentId")).isEqualTo(production);
        assertThat(s.getString("lastSucceeded.staging.deploymentId")).isEqualTo(staging);
        assertThat(s.getMap("lastSucceeded")).doesNotContainKey("qa");

        JsonPath onlyStaging = given().header("Authorization", deployer).queryParam("environment", "staging")
                .when().get("/api/v1/services/" + service + "/summary").then().statusCode(200).extract().jsonPath();
        assertThat(onlyStaging.getLong("deployments")).isEqualTo(1);
        assertThat(onlyStaging.getDouble("successRate.actual")).isEqualTo(1.0);
        assertThat(onlyStaging.getBoolean("successRate.met")).isTrue();

        String other = TestTokens.builder().subject("eve").roles("deployer").services("someone-else").bearer();
        given().header("Authorization", other).when().get("/api/v1/services/" + service + "/summary").then()
                .statusCode(403).contentType("application/problem+json");
        given().header("Authorization", deployer).when().get("/api/v1/services/NOT_A_NAME/summary").then()
                .statusCode(400).contentType("application/problem+json");
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-6); // JsonPath reads JSON numbers as floats
    }

    private static JsonPath report(String id) {
        return given().when().get("/api/v1/deployments/" + id + "/report").then().statusCode(200).extract()
                .jsonPath();
    }

    private static Envelope<BakeCheckpoint> checkpoint(String id, String service, Instant succeededAt, int index,
            boolean last, double successRate, double errorRate) {
        Duration after = Duration.ofMinutes(index == 1 ? 15 : 30);
        return Envelope.of("/rollwatch/monitor-service", id, new BakeCheckpoint(service, "production", "2.4.0",
                after, index, 2, Duration.ofMinutes(30), succeededAt, Verdict.SUCCESSFUL, last, List.of(
                        new CheckResult("success-rate", "success_rate", Verdict.SUCCESSFUL, successRate, 0.999, null,
                                10, 0, null),
                        new CheckResult("error-rate", "error_rate", Verdict.SUCCESSFUL, errorRate, null, 0.01, 10, 0,
                                null))));
    }
}
