package dev.rollwatch.monitor;

import dev.rollwatch.events.AnalysisSpec;
import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.events.Target;
import dev.rollwatch.testsupport.KafkaTestClient;
import io.restassured.RestAssured;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Test helpers: deployments started the way the deploy service starts them, over Kafka. */
final class Deployments {

    static final String DEPLOY_SOURCE = "/rollwatch/deploy-service";
    static final Duration WAIT = Duration.ofSeconds(30);

    private Deployments() {
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    static String service(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static CheckSpec errorRate(int failureLimit, Severity severity) {
        return new CheckSpec("error-rate", "push", "error_rate",
                "sum(rate(http_requests_total{code=~\"5..\"}[30s])) / sum(rate(http_requests_total[30s]))", null,
                0.01, Duration.ofSeconds(5), Duration.ofSeconds(30), failureLimit, 3, severity);
    }

    /**
     * A DeploymentStarted without a metrics URL: nothing is scraped, so only pushed samples are measured (the
     * default checks use the scrape provider, and a demo target may be running on this machine).
     */
    static Envelope<DeploymentStarted> started(String id, String service, List<CheckSpec> checks) {
        return started(id, service, checks, null);
    }

    static Envelope<DeploymentStarted> started(String id, String service, List<CheckSpec> checks,
            String metricsUrl) {
        return started(id, service, "2.4.0", checks, metricsUrl);
    }

    /** A deployment of {@code version} replacing the stable 2.3.0. */
    static Envelope<DeploymentStarted> started(String id, String service, String version, List<CheckSpec> checks,
            String metricsUrl) {
        return Envelope.of(DEPLOY_SOURCE, id, new DeploymentStarted(service, "production", version, "2.3.0",
                new Target("http", "http://127.0.0.1:8090", metricsUrl),
                List.of(StepSpec.setWeight(5), StepSpec.analysis(Duration.ofMinutes(2)), StepSpec.setWeight(100)),
                new AnalysisSpec(checks), "alice"));
    }

    /** Publishes DeploymentStarted and waits until the monitor shows the watch. */
    static Envelope<DeploymentStarted> startWatch(KafkaTestClient kafka, String id, String service,
            List<CheckSpec> checks) {
        return startWatch(kafka, id, service, checks, null);
    }

    static Envelope<DeploymentStarted> startWatch(KafkaTestClient kafka, String id, String service,
            List<CheckSpec> checks, String metricsUrl) {
        return startWatch(kafka, id, service, "2.4.0", checks, metricsUrl);
    }

    static Envelope<DeploymentStarted> startWatch(KafkaTestClient kafka, String id, String service, String version,
            List<CheckSpec> checks, String metricsUrl) {
        Envelope<DeploymentStarted> event = started(id, service, version, checks, metricsUrl);
        kafka.send(event);
        awaitWatch(id);
        return event;
    }

    static void awaitWatch(String id) {
        await().atMost(WAIT).until(() -> given().when().get("/api/v1/deployments/" + id + "/analysis")
                .then().extract().statusCode() == 200);
    }

    static String samples(String id, String... samples) {
        return "{\"deploymentId\": \"" + id + "\", \"samples\": [" + String.join(", ", samples) + "]}";
    }

    static String sample(String metric, double value) {
        return "{\"metric\": \"" + metric + "\", \"value\": " + value + "}";
    }
}
