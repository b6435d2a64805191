package dev.rollwatch.demotarget.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollwatch.demotarget.domain.TargetState;
import dev.rollwatch.demotarget.service.TrafficSimulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.rollwatch.demotarget.rest.DriverCalls.finalizeRollout;
import static dev.rollwatch.demotarget.rest.DriverCalls.rollback;
import static dev.rollwatch.demotarget.rest.Problems.problem;
import static dev.rollwatch.demotarget.rest.DriverCalls.traffic;
import static dev.rollwatch.demotarget.rest.DriverCalls.uniqueService;
import static dev.rollwatch.demotarget.rest.DriverCalls.unsigned;
import static dev.rollwatch.demotarget.rest.DriverCalls.webhookId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** The driver protocol without a secret: calls are accepted unsigned (each test uses its own service). */
@QuarkusTest
class DriverResourceTest {

    @Inject
    TrafficSimulator simulator;

    @Inject
    ObjectMapper mapper;

    @Test
    void trafficThenStateThenRollback() {
        String service = uniqueService();
        String trafficId = webhookId();
        String rollbackId = webhookId();
        Instant before = Instant.now();

        TargetState shifted = read(unsigned(trafficId, traffic("dep-1", service, "2.3.0", "2.4.0", 25))
                .post("/rollwatch/v1/traffic")
                .then().statusCode(200).contentType(ContentType.JSON)
                .extract().asString(), TargetState.class);

        assertThat(shifted).usingRecursiveComparison().ignoringFields("updatedAt")
                .isEqualTo(new TargetState(service, "2.3.0", "2.4.0", 25, null));
        assertThat(shifted.updatedAt()).isAfterOrEqualTo(before);
        assertThat(state(service)).isEqualTo(shifted);

        TargetState rolledBack = read(unsigned(rollbackId, rollback("dep-1", service, "2.3.0"))
                .post("/rollwatch/v1/rollback")
                .then().statusCode(200)
                .extract().asString(), TargetState.class);

        assertThat(rolledBack).usingRecursiveComparison().ignoringFields("updatedAt")
                .isEqualTo(new TargetState(service, "2.3.0", null, 0, null));
        assertThat(state(service)).isEqualTo(rolledBack);

        given().queryParam("deploymentId", "dep-1").queryParam("service", service)
                .get("/rollwatch/v1/calls")
                .then().statusCode(200)
                .body("size()", equalTo(2))
                .body("[0].kind", equalTo("traffic"))
                .body("[0].webhookId", equalTo(trafficId))
                .body("[0].service", equalTo(service))
                .body("[0].deliveries", equalTo(1))
                .body("[0].body.weight", equalTo(25))
                .body("[0].body.canaryVersion", equalTo("2.4.0"))
                .body("[1].kind", equalTo("rollback"))
                .body("[1].webhookId", equalTo(rollbackId))
                .body("[1].body.toVersion", equalTo("2.3.0"));
    }

    @Test
    void finalizeMakesTheNewVersionStableWithAllTheTrafficAndIsRecorded() {
        String service = uniqueService();
        String finalizeId = webhookId();
        unsigned(webhookId(), traffic("dep-f1", service, "2.3.0", "2.4.0", 100))
                .post("/rollwatch/v1/traffic").then().statusCode(200);
        Instant before = Instant.now();

        TargetState finalized = read(unsigned(finalizeId, finalizeRollout("dep-f1", service, "2.4.0"))
                .post("/rollwatch/v1/finalize")
                .then().statusCode(200).contentType(ContentType.JSON)
                .extract().asString(), TargetState.class);

        assertThat(finalized).usingRecursiveComparison().ignoringFields("updatedAt")
                .isEqualTo(new TargetState(service, "2.4.0", null, 0, null));
        assertThat(finalized.updatedAt()).isAfterOrEqualTo(before);
        assertThat(state(service)).isEqualTo(finalized);
        given().queryParam("deploymentId", "dep-f1").get("/rollwatch/v1/calls")
                .then().statusCode(200)
                .body("size()", equalTo(2))
                .body("[1].kind", equalTo("finalize"))
                .body("[1].webhookId", equalTo(finalizeId))
                .body("[1].service", equalTo(service))
                .body("[1].environment", equalTo("production"))
                .body("[1].deliveries", equalTo(1))
                .body("[1].body.version", equalTo("2.4.0"));
    }

    @Test
    void afterFinalizeTheSimulatedTrafficAndTheMetricsAreAllOnTheNewStableVersion() {
        String service = uniqueService();
        unsigned(webhookId(), traffic("dep-f2", service, "7.0.0", "7.1.0", 25))
                .post("/rollwatch/v1/traffic").then().statusCode(200);
        simulator.tick(Duration.ofSeconds(1));
        unsigned(webhookId(), finalizeRollout("dep-f2", service, "7.1.0"))
                .post("/rollwatch/v1/finalize").then().statusCode(200);
        String atFinalize = metrics();

        simulator.tick(Duration.ofSeconds(2));

        String after = metrics();
        String oldCount = "http_request_duration_seconds_count{service=\"" + service + "\",version=\"7.0.0\"}";
        String newCount = "http_request_duration_seconds_count{service=\"" + service + "\",version=\"7.1.0\"}";
        // The retired version's counters stay (counters never go back) but stop moving; the new one serves it all.
        assertThat(counterValue(after, oldCount)).isPositive().isEqualTo(counterValue(atFinalize, oldCount));
        assertThat(counterValue(after, newCount)).isGreaterThan(counterValue(atFinalize, newCount));
        assertThat(after)
                .contains("process_resident_memory_bytes{service=\"" + service + "\",version=\"7.1.0\"}")
                .doesNotContain("process_resident_memory_bytes{service=\"" + service + "\",version=\"7.0.0\"}");
    }

    @Test
    void anInvalidFinalizeIsRefusedNamingEveryMissingFieldAndChangesNothing() {
        String service = uniqueService();
        TargetState before = read(unsigned(webhookId(), traffic("dep-f3", service, "2.3.0", "2.4.0", 100))
                .post("/rollwatch/v1/traffic").then().statusCode(200).extract().asString(), TargetState.class);

        problem(unsigned(webhookId(), "{\"service\":\"" + service + "\",\"version\":\" \"}")
                .post("/rollwatch/v1/finalize"), 400, "invalid-request")
                .body("detail", containsString("deploymentId must be a non-blank string"))
                .body("detail", containsString("environment must be a non-blank string"))
                .body("detail", containsString("version must be a non-blank string"));
        problem(unsigned(webhookId(), "{\"deploymentId\":\"dep-f3\",\"environment\":\"production\","
                + "\"version\":\"2.4.0\"}").post("/rollwatch/v1/finalize"), 400, "invalid-request")
                .body("detail", equalTo("service must be a non-blank string"));
        problem(unsigned(webhookId(), "[]").post("/rollwatch/v1/finalize"), 400, "invalid-request");
        problem(unsigned(webhookId(), "not json").post("/rollwatch/v1/finalize"), 400, "invalid-request");

        assertThat(state(service)).isEqualTo(before);
        given().queryParam("service", service).get("/rollwatch/v1/calls")
                .then().body("size()", equalTo(1)).body("kind", org.hamcrest.Matchers.contains("traffic"));
    }

    @Test
    void aRepeatedFinalizeIsAppliedOnceAndDoesNotUndoTheNextRollout() {
        String service = uniqueService();
        String finalizeId = webhookId();
        String body = finalizeRollout("dep-f4", service, "2.4.0");
        unsigned(webhookId(), traffic("dep-f4", service, "2.3.0", "2.4.0", 100))
                .post("/rollwatch/v1/traffic").then().statusCode(200);
        unsigned(finalizeId, body).post("/rollwatch/v1/finalize").then().statusCode(200);
        unsigned(webhookId(), traffic("dep-f5", service, "2.4.0", "2.5.0", 5))
                .post("/rollwatch/v1/traffic").then().statusCode(200);

        // A late retry of the first rollout's finalize must not remove the second rollout's canary.
        unsigned(finalizeId, body).post("/rollwatch/v1/finalize")
                .then().statusCode(200)
                .body("stableVersion", equalTo("2.4.0")).body("canaryVersion", equalTo("2.5.0"))
                .body("weight", equalTo(5));

        assertThat(state(service)).usingRecursiveComparison().ignoringFields("updatedAt")
                .isEqualTo(new TargetState(service, "2.4.0", "2.5.0", 5, null));
        given().queryParam("service", service).get("/rollwatch/v1/calls")
                .then().statusCode(200)
                .body("kind", org.hamcrest.Matchers.contains("traffic", "finalize", "traffic"))
                .body("[1].webhookId", equalTo(finalizeId))
                .body("[1].deliveries", equalTo(2));
    }

    @Test
    void finalizeMakesAnUnknownServiceKnownRunningTheVersion() {
        String service = uniqueService();

        unsigned(webhookId(), finalizeRollout("dep-f6", service, "1.0.0"))
                .post("/rollwatch/v1/finalize")
                .then().statusCode(200)
                .body("stableVersion", equalTo("1.0.0")).body("canaryVersion", nullValue()).body("weight", equalTo(0));
        assertThat(simulator.snapshot(service)).isPresent();
    }

    @Test
    void callsAreListedPerDeployment() {
        String service = uniqueService();
        unsigned(webhookId(), traffic("dep-a-" + service, service, "1.0.0", "1.1.0", 5))
                .post("/rollwatch/v1/traffic").then().statusCode(200);
        unsigned(webhookId(), traffic("dep-b-" + service, service, "1.0.0", "1.2.0", 5))
                .post("/rollwatch/v1/traffic").then().statusCode(200);

        given().queryParam("deploymentId", "dep-b-" + service)
                .get("/rollwatch/v1/calls")
                .then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].body.canaryVersion", equalTo("1.2.0"));
    }

    @Test
    void aWeightOutsideZeroToHundredIsRefusedAndChangesNothing() {
        String service = uniqueService();
        TargetState before = read(unsigned(webhookId(), traffic("dep-2", service, "2.3.0", "2.4.0", 5))
                .post("/rollwatch/v1/traffic").then().statusCode(200).extract().asString(), TargetState.class);

        for (Object weight : List.of(101, -1, 12.5, "\"50\"")) {
            problem(unsigned(webhookId(), traffic("dep-2", service, "2.3.0", "2.5.0", weight))
                    .post("/rollwatch/v1/traffic"), 400, "invalid-request")
                    .body("detail", containsString("weight must be a whole number from 0 to 100"));
        }

        assertThat(state(service)).isEqualTo(before);
        given().queryParam("deploymentId", "dep-2").queryParam("service", service).get("/rollwatch/v1/calls")
                .then().body("size()", equalTo(1));
    }

    @Test
    void missingFieldsAreAllNamedAndNothingIsCreated() {
        String service = uniqueService();

        problem(unsigned(webhookId(), "{\"service\":\"" + service + "\",\"weight\":10}")
                .post("/rollwatch/v1/traffic"), 400, "invalid-request")
                .body("detail", containsString("deploymentId must be a non-blank string"))
                .body("detail", containsString("environment must be a non-blank string"))
                .body("detail", containsString("stableVersion must be a non-blank string"))
                .body("detail", containsString("canaryVersion must be a non-blank string"));
        problem(unsigned(webhookId(), "{\"deploymentId\":\"d\",\"service\":\"" + service + "\"}")
                .post("/rollwatch/v1/rollback"), 400, "invalid-request")
                .body("detail", containsString("toVersion must be a non-blank string"));
        problem(unsigned(webhookId(), "not json").post("/rollwatch/v1/traffic"), 400, "invalid-request");

        problem(given().queryParam("service", service).get("/rollwatch/v1/state"), 404, "unknown-service");
    }

    @Test
    void anUnknownServiceIsNotFound() {
        problem(given().queryParam("service", "no-such-service").get("/rollwatch/v1/state"), 404, "unknown-service")
                .body("detail", containsString("no-such-service"));
    }

    @Test
    void theConfiguredServiceRunsItsStableVersionFromStartUp() {
        TargetState checkout = state("checkout");

        assertThat(checkout.stableVersion()).isNotBlank();
        assertThat(simulator.snapshot("checkout")).isPresent();
    }

    @Test
    void aRepeatedWebhookIdIsAppliedOnce() {
        String service = uniqueService();
        String first = webhookId();
        String firstBody = traffic("dep-3", service, "2.3.0", "2.4.0", 25);
        unsigned(first, firstBody).post("/rollwatch/v1/traffic").then().statusCode(200);
        unsigned(webhookId(), traffic("dep-3", service, "2.3.0", "2.4.0", 50))
                .post("/rollwatch/v1/traffic").then().statusCode(200);

        // A late retry of the first call must not take the canary back to 25%.
        TargetState answer = read(unsigned(first, firstBody).post("/rollwatch/v1/traffic")
                .then().statusCode(200).extract().asString(), TargetState.class);

        assertThat(answer.weight()).isEqualTo(50);
        assertThat(state(service).weight()).isEqualTo(50);
        given().queryParam("deploymentId", "dep-3").queryParam("service", service).get("/rollwatch/v1/calls")
                .then().statusCode(200)
                .body("size()", equalTo(2))
                .body("[0].webhookId", equalTo(first))
                .body("[0].deliveries", equalTo(2))
                .body("[1].deliveries", equalTo(1));
    }

    @Test
    void aRepeatedRollbackIsAppliedOnce() {
        String service = uniqueService();
        String rollbackId = webhookId();
        unsigned(webhookId(), traffic("dep-4", service, "2.3.0", "2.4.0", 25))
                .post("/rollwatch/v1/traffic").then().statusCode(200);
        unsigned(rollbackId, rollback("dep-4", service, "2.3.0")).post("/rollwatch/v1/rollback")
                .then().statusCode(200);
        unsigned(webhookId(), traffic("dep-5", service, "2.3.0", "2.4.1", 5))
                .post("/rollwatch/v1/traffic").then().statusCode(200);

        unsigned(rollbackId, rollback("dep-4", service, "2.3.0")).post("/rollwatch/v1/rollback")
                .then().statusCode(200).body("canaryVersion", equalTo("2.4.1"));

        assertThat(state(service).canaryVersion()).isEqualTo("2.4.1");
    }

    @Test
    void metricsShowTheCanarysSeriesAfterATrafficCall() {
        String service = uniqueService();
        assertThat(metrics()).doesNotContain(service);

        unsigned(webhookId(), traffic("dep-6", service, "9.9.8", "9.9.9", 50))
                .post("/rollwatch/v1/traffic").then().statusCode(200);

        assertThat(metrics())
                .contains("http_requests_total{service=\"" + service + "\",version=\"9.9.9\",code=\"200\"}")
                .contains("http_request_duration_seconds_bucket{service=\"" + service
                        + "\",version=\"9.9.9\",le=\"+Inf\"}")
                .contains("process_resident_memory_bytes{service=\"" + service + "\",version=\"9.9.9\"}");

        simulator.tick(Duration.ofSeconds(1));

        assertThat(counterValue(metrics(), "http_request_duration_seconds_count{service=\"" + service
                + "\",version=\"9.9.9\"}")).isPositive();
    }

    @Test
    void metricsAreServedAsPrometheusText() {
        given().get("/metrics")
                .then().statusCode(200)
                .header("Content-Type", containsString("text/plain"))
                .header("Content-Type", containsString("version=0.0.4"))
                .body(containsString("# TYPE http_requests_total counter"))
                .body(containsString("# TYPE http_request_duration_seconds histogram"))
                .body(containsString("# TYPE queue_size gauge"))
                .body(containsString("queue_size{service=\"checkout\"}"));
    }

    @Test
    void aVersionMadeBadAtRuntimeFailsRequests() {
        String service = uniqueService();
        given().contentType(ContentType.JSON)
                .body(Map.of("version", "3.1.0-flaky", "errorRate", 1.0, "p95LatencyMs", 2000))
                .post("/demo/behaviour")
                .then().statusCode(200)
                .body("errorRate", equalTo(1.0f))
                .body("p95LatencyMs", equalTo(2000.0f))
                .body("source", equalTo("OVERRIDE"));
        unsigned(webhookId(), traffic("dep-7", service, "3.0.0", "3.1.0-flaky", 100))
                .post("/rollwatch/v1/traffic").then().statusCode(200);
        simulator.tick(Duration.ofSeconds(1));

        String text = metrics();
        String series = "{service=\"" + service + "\",version=\"3.1.0-flaky\",code=";
        assertThat(counterValue(text, "http_requests_total" + series + "\"500\"}")).isPositive();
        assertThat(counterValue(text, "http_requests_total" + series + "\"200\"}")).isZero();

        given().queryParam("version", "3.1.0-flaky").delete("/demo/behaviour")
                .then().statusCode(200).body("source", equalTo("GOOD_DEFAULT"));
    }

    @Test
    void anImpossibleBehaviourIsRefused() {
        problem(given().contentType(ContentType.JSON).body(Map.of("version", "1.0.0", "errorRate", 2))
                .post("/demo/behaviour"), 400, "invalid-request")
                .body("detail", containsString("errorRate"));
        given().queryParam("version", "1.0.0").get("/demo/behaviour")
                .then().statusCode(200).body("errorRate", equalTo(0.001f)).body("source", equalTo("GOOD_DEFAULT"));
        given().queryParam("version", "1.0.0-bad").get("/demo/behaviour")
                .then().statusCode(200).body("errorRate", equalTo(0.08f)).body("source", equalTo("BAD_DEFAULT"));
    }

    @Test
    void aVersionThatIsDownStopsAnsweringUntilItIsBroughtBack() {
        String service = uniqueService();
        unsigned(webhookId(), traffic("dep-8", service, "4.0.0", "4.1.0-dies", 50))
                .post("/rollwatch/v1/traffic").then().statusCode(200);
        simulator.tick(Duration.ofSeconds(1));
        String canarySeries = "http_requests_total{service=\"" + service + "\",version=\"4.1.0-dies\",code=\"200\"}";
        double servedBefore = counterValue(metrics(), canarySeries);

        given().contentType(ContentType.JSON).body(Map.of("version", "4.1.0-dies", "down", true))
                .post("/demo/behaviour")
                .then().statusCode(200)
                .body("down", equalTo(true))
                .body("errorRate", equalTo(0.001f))
                .body("source", equalTo("OVERRIDE"));
        simulator.tick(Duration.ofSeconds(1));

        assertThat(metrics()).as("a down process reports nothing")
                .doesNotContain("version=\"4.1.0-dies\"")
                .contains("http_requests_total{service=\"" + service + "\",version=\"4.0.0\",code=\"200\"}");
        given().queryParam("version", "4.1.0-dies").get("/health")
                .then().statusCode(503).body("status", equalTo("DOWN"));
        given().queryParam("version", "4.0.0").get("/health")
                .then().statusCode(200).body("status", equalTo("UP"));
        given().queryParam("service", service).get("/health")
                .then().statusCode(200).body("status", equalTo("UP"));
        given().get("/health").then().statusCode(200); // only a canary is down

        given().contentType(ContentType.JSON).body(Map.of("version", "4.1.0-dies", "down", false))
                .post("/demo/behaviour").then().statusCode(200).body("down", equalTo(false));
        given().queryParam("version", "4.1.0-dies").get("/health").then().statusCode(200);
        // The process's own ticker keeps simulating traffic between these reads, so only "not reset, and counting
        // again" is stable here; that the down period's requests were lost is TrafficSimulatorTest's (tick by tick).
        double servedAfter = counterValue(metrics(), canarySeries);
        assertThat(servedAfter).as("the counter resumes where it stopped, never reset").isGreaterThanOrEqualTo(
                servedBefore);
        simulator.tick(Duration.ofSeconds(1));
        assertThat(counterValue(metrics(), canarySeries)).as("it answers again").isGreaterThan(servedAfter);
        given().queryParam("version", "4.1.0-dies").delete("/demo/behaviour").then().statusCode(200);
    }

    @Test
    void plainHealthIsDownWhileAStableVersionIsDown() {
        String service = uniqueService();
        unsigned(webhookId(), finalizeRollout("dep-9", service, "5.0.0-stable-dies"))
                .post("/rollwatch/v1/finalize").then().statusCode(200);
        try {
            given().contentType(ContentType.JSON).body(Map.of("version", "5.0.0-stable-dies", "down", true))
                    .post("/demo/behaviour").then().statusCode(200);

            given().get("/health").then().statusCode(503).body("status", equalTo("DOWN"));
            given().queryParam("service", service).get("/health").then().statusCode(503);
            given().queryParam("service", "checkout").get("/health").then().statusCode(200);
        } finally {
            given().queryParam("version", "5.0.0-stable-dies").delete("/demo/behaviour")
                    .then().statusCode(200).body("down", equalTo(false));
        }
        given().get("/health").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void downMustBeABoolean() {
        problem(given().contentType(ContentType.JSON).body(Map.of("version", "1.0.0", "down", "yes"))
                .post("/demo/behaviour"), 400, "invalid-request")
                .body("detail", containsString("down must be true or false"));
        given().queryParam("version", "1.0.0").get("/demo/behaviour")
                .then().statusCode(200).body("down", equalTo(false));
    }

    @Test
    void healthIsUpOnBothPaths() {
        given().get("/health").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }

    private TargetState state(String service) {
        return read(given().queryParam("service", service).get("/rollwatch/v1/state")
                .then().statusCode(200).extract().asString(), TargetState.class);
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (IOException e) {
            throw new AssertionError("unreadable response: " + json, e);
        }
    }

    private static String metrics() {
        return given().get("/metrics").then().statusCode(200).extract().asString();
    }

    private static double counterValue(String text, String series) {
        return text.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1)))
                .orElseThrow(() -> new AssertionError("no series " + series));
    }
}
