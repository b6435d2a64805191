package dev.rollwatch.deploy.metrics;

import dev.rollwatch.platform.outbox.OutboxMeters;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What Prometheus scrapes from deploy-service's {@code /q/metrics} for Rollwatch's own dashboards and alerts
 * (observability/): the in-flight gauges read from the real schema, the outbox gauges, and the detection-to-rollback
 * timer as a histogram.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class DeploymentMetersIT {

    @Inject
    DeploymentMeters deploymentMeters;

    @Inject
    OutboxMeters outboxMeters;

    @Inject
    MeterRegistry registry;

    @Test
    void aDeploymentWaitingForApprovalIsCountedInFlight() {
        String service = "meters-" + UUID.randomUUID().toString().substring(0, 8);
        String bearer = TestTokens.builder().subject("alice").roles("deployer", "operator").services("*").bearer();
        Response created = given().header("Authorization", bearer).contentType(ContentType.JSON).body("""
                {"service": "%s", "environment": "production", "version": "2.4.0", "previousVersion": "2.3.0",
                 "target": {"type": "http", "url": "http://127.0.0.1:9/unused"},
                 "strategy": {"steps": [{"pause": {}}]}}""".formatted(service))
                .when().post("/api/v1/deployments").thenReturn();
        assertThat(created.statusCode()).as("POST /api/v1/deployments answered %s", created.asString()).isEqualTo(202);
        String id = created.path("id");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Response view = given().header("Authorization", bearer).when().get("/api/v1/deployments/" + id)
                    .thenReturn();
            assertThat(view.statusCode()).as("GET the deployment: %s", view.asString()).isEqualTo(200);
            assertThat(view.<String>path("status")).as("its status (%s)", view.asString())
                    .isEqualTo("AWAITING_APPROVAL");
        });

        deploymentMeters.refresh();
        outboxMeters.refresh();
        // the detection-to-rollback timer as RollbackExecutor registers it (that bean is made on first use)
        Timer.builder("rollwatch.rollback.detection.latency").publishPercentiles(0.5, 0.95, 0.99).register(registry)
                .record(Duration.ofMillis(1500));

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString()
                .replace(",}", "}");
        // A gauge whose object was collected reads NaN: the in-flight gauges must hold theirs.
        assertThat(metrics).as("/q/metrics").doesNotContainPattern("(?m)^rollwatch_deploy_\\S+ NaN$");
        assertThat(value(metrics, "rollwatch_deploy_in_flight{status=\"AWAITING_APPROVAL\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(metrics).contains("rollwatch_deploy_in_flight{status=\"ROLLING_BACK\"}",
                "rollwatch_deploy_rolling_back_oldest_age_seconds", "rollwatch_outbox_backlog",
                "rollwatch_outbox_oldest_age_seconds",
                "rollwatch_rollback_detection_latency_seconds_bucket{le=\"+Inf\"}");
        assertThat(value(metrics, "rollwatch_rollback_detection_latency_seconds_bucket{le=\"2.0\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "rollwatch_rollback_detection_latency_seconds_bucket{le=\"+Inf\"}"))
                .isEqualTo(value(metrics, "rollwatch_rollback_detection_latency_seconds_count"));
        assertThat(value(metrics, "rollwatch_deploy_rolling_back_oldest_age_seconds")).isGreaterThanOrEqualTo(0);

        given().header("Authorization", bearer).contentType(ContentType.JSON).body("{\"reason\": \"meters test\"}")
                .when().post("/api/v1/deployments/" + id + "/abort").then().statusCode(200);
    }

    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        assertThat(m.find()).as("%s in /q/metrics", series).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
