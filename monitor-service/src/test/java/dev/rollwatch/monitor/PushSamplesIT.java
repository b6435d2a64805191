package dev.rollwatch.monitor;

import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.Measure;
import dev.rollwatch.events.Operator;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Topics;
import dev.rollwatch.monitor.domain.CheckRule;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.rollwatch.monitor.Deployments.WAIT;
import static dev.rollwatch.monitor.Deployments.errorRate;
import static dev.rollwatch.monitor.Deployments.sample;
import static dev.rollwatch.monitor.Deployments.samples;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** The push provider end to end: samples over REST, ThresholdBreached on the real broker. */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class PushSamplesIT {

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    static io.restassured.response.ValidatableResponse post(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/v1/samples").then();
    }

    @Test
    void breachingSamplesPublishThresholdBreachedKeyedByTheDeploymentWithTheMeasuredFigures() {
        String id = Deployments.newId();
        String service = Deployments.service("checkout");
        Envelope<DeploymentStarted> started = Deployments.startWatch(kafka, id, service,
                List.of(errorRate(2, Severity.P1)));
        Instant first = Instant.parse("2026-03-02T14:01:01.250Z");
        Instant second = Instant.parse("2026-03-02T14:01:02.250Z");

        String breachId = post(samples(id,
                "{\"metric\": \"error_rate\", \"value\": 0.0187, \"observedAt\": \"" + first + "\"}",
                "{\"metric\": \"error_rate\", \"value\": 0.0342, \"observedAt\": \"" + second + "\", "
                        + "\"version\": \"2.4.0\"}"))
                .statusCode(202)
                .body("samples", equalTo(2))
                .body("evaluated[0].checks[0].check", equalTo("error-rate"))
                .body("evaluated[0].checks[0].outcome", equalTo("FAILED"))
                .body("evaluated[0].checks[0].failures", equalTo(1))
                .body("evaluated[0].checks[0].breachEventId", nullValue())
                .body("evaluated[1].checks[0].outcome", equalTo("FAILED"))
                .body("evaluated[1].checks[0].failures", equalTo(2))
                .body("evaluated[1].checks[0].inBreach", equalTo(true))
                .body("evaluated[1].checks[0].breachEventId", notNullValue())
                .extract().path("evaluated[1].checks[0].breachEventId");

        Envelope<ThresholdBreached> breach = kafka.awaitEvent(Topics.THRESHOLD_BREACHED, id,
                ThresholdBreached.class, WAIT);
        assertThat(breach.id()).isEqualTo(breachId);
        assertThat(breach.key()).isEqualTo(id);
        assertThat(breach.subject()).isEqualTo(id);
        assertThat(breach.source()).isEqualTo("/rollwatch/monitor-service");
        assertThat(breach.causationId()).isEqualTo(started.id());
        assertThat(breach.correlationId()).isEqualTo(id);
        assertThat(breach.data()).usingRecursiveComparison().ignoringFields("trendPerHour", "deploymentStartedAt")
                .isEqualTo(new ThresholdBreached(service, "production", "2.4.0", "error-rate", "error_rate",
                        errorRate(2, Severity.P1).query(), List.of(0.0187, 0.0342), 0.01, Operator.GT,
                        Duration.ofSeconds(30), Severity.P1, 2, 2, second, null, Measure.VALUE, null,
                        CheckRule.from(errorRate(2, Severity.P1)).ruleVersion(), ThresholdBreached.KIND_THRESHOLD,
                        ThresholdBreached.PHASE_ROLLOUT, null, null, null));
        // The context the rollback pack's time and "growing" rules read: 0.0187 → 0.0342 in one second is growing
        // by 55.8 per hour; the deployment started when its DeploymentStarted says.
        assertThat(breach.data().trendPerHour()).isCloseTo((0.0342 - 0.0187) * 3600, within(1e-6));
        assertThat(Duration.between(started.time(), breach.data().deploymentStartedAt()).abs())
                .isLessThan(Duration.ofMillis(1));
        assertThat(breach.data().ruleVersion()).matches("[0-9a-f]{12}");

        given().when().get("/api/v1/deployments/" + id + "/analysis").then()
                .body("verdict", equalTo("FAILED"))
                .body("checks[0].verdict", equalTo("FAILED"))
                .body("checks[0].measurements", equalTo(2))
                .body("checks[0].lastValue", equalTo(0.0342f))
                .body("checks[0].recent.outcome", contains("FAILED", "FAILED"))
                .body("breaches", hasSize(1))
                .body("breaches[0].eventId", equalTo(breachId))
                .body("breaches[0].observed", contains(0.0187f, 0.0342f))
                .body("breaches[0].operator", equalTo("GT"));
    }

    @Test
    void goodSamplesPassAndPublishNothing() {
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, Deployments.service("search"), List.of());

        // The built-in memory check is a trend: a flat resident memory over a minute grows by 0 bytes/h.
        Instant t0 = Instant.now().minusSeconds(60);
        post(samples(id, sample("error_rate", 0.002), sample("latency_p95", 0.21), sample("success_rate", 0.9995),
                sample("queue_size", 12), memory(188743680, t0), memory(188743680, t0.plusSeconds(60)),
                sample("cpu", 0.9)))
                .statusCode(202)
                .body("breachEventIds", empty())
                // error rate 3 checks (> 0.5 %, > 1 %, > 5 %), p95 2, success rate 2, queue 3, memory growth 1 + 1
                .body("measurements", equalTo(12))
                .body("evaluated.checks.flatten().outcome", contains("PASSED", "PASSED", "PASSED", "PASSED",
                        "PASSED", "PASSED", "PASSED", "PASSED", "PASSED", "PASSED", "ERROR", "PASSED"))
                .body("evaluated[4].checks[0].reason", org.hamcrest.Matchers.startsWith("no data: a growth needs"))
                .body("evaluated[5].checks[0].compared", equalTo(0.0f))
                .body("evaluated[6].checks", empty())
                .body("evaluated[6].note", equalTo("no check of this deployment watches cpu"));

        given().when().get("/api/v1/deployments/" + id + "/analysis").then()
                .body("verdict", equalTo("SUCCESSFUL"))
                .body("breaches", empty());
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).isEmpty();
    }

    @Test
    void aSustainedBreachIsOneEventAndARecoveryThenANewBreachIsASecond() {
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, Deployments.service("latency"), List.of());

        // p95 over 1 s is the runbooks' WARN (P2); nothing here reaches the 3 s CRITICAL.
        List<String> first = post(samples(id, sample("latency_p95", 1.3), sample("latency_p95", 1.4),
                sample("latency_p95", 2.2))).statusCode(202).extract().path("breachEventIds");
        List<String> still = post(samples(id, sample("latency_p95", 1.05))).statusCode(202)
                .body("evaluated[0].checks[0].inBreach", equalTo(true))
                .extract().path("breachEventIds");
        List<String> second = post(samples(id, sample("latency_p95", 0.1), sample("latency_p95", 1.7)))
                .statusCode(202)
                .body("evaluated[0].checks[0].inBreach", equalTo(false))
                .extract().path("breachEventIds");
        assertThat(first).hasSize(1);
        assertThat(still).isEmpty();
        assertThat(second).hasSize(1).doesNotContainAnyElementsOf(first);

        kafka.awaitRecords(Topics.THRESHOLD_BREACHED, r -> second.get(0).equals(
                dev.rollwatch.events.EventCodec.decodeHeader(r.value()).id()), WAIT);
        List<Envelope<EventData>> events = kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id);
        assertThat(events).extracting(Envelope::id).containsExactly(first.get(0), second.get(0));
        ThresholdBreached p2 = events.get(0).as(ThresholdBreached.class).data();
        assertThat(p2.severity()).isEqualTo(Severity.P2);
        assertThat(p2.metric()).isEqualTo("latency_p95");
        assertThat(p2.threshold()).isEqualTo(1.0);
        assertThat(p2.observed()).containsExactly(1.3);
        given().when().get("/api/v1/deployments/" + id + "/analysis").then()
                .body("checks.find { it.name == 'latency-p95' }.episodes", equalTo(2))
                .body("checks.find { it.name == 'latency-p95-critical' }.episodes", equalTo(0))
                .body("breaches.episode", contains(1, 2));
    }

    @Test
    void aMinimumIsBreachedFromBelowAndSamplesOfTheOldVersionAreNotJudged() {
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, Deployments.service("success"), List.of());

        post(samples(id, "{\"metric\": \"success_rate\", \"value\": 0.95, \"version\": \"2.3.0\"}"))
                .statusCode(202)
                .body("breachEventIds", empty())
                .body("evaluated[0].checks", empty())
                .body("evaluated[0].note", equalTo("not judged: thresholds apply to the version under watch, 2.4.0"));
        post(samples(id, sample("success_rate", 0.95))).statusCode(202).body("breachEventIds", hasSize(1));

        Envelope<ThresholdBreached> breach = kafka.awaitEvent(Topics.THRESHOLD_BREACHED, id,
                ThresholdBreached.class, WAIT);
        assertThat(breach.data().operator()).isEqualTo(Operator.LT);
        assertThat(breach.data().threshold()).isEqualTo(0.999);
        assertThat(breach.data().severity()).isEqualTo(Severity.P2);
        assertThat(breach.data().observed()).containsExactly(0.95);
    }

    static String memory(double bytes, Instant at) {
        return "{\"metric\": \"process_resident_memory_bytes\", \"value\": " + bytes + ", \"observedAt\": \"" + at
                + "\"}";
    }

    @Test
    void anUnknownDeploymentIs404() {
        post(samples(Deployments.newId(), sample("error_rate", 0.5)))
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/watch-not-found"));
        given().when().get("/api/v1/deployments/" + Deployments.newId() + "/analysis").then()
                .statusCode(404).contentType("application/problem+json");
    }

    @Test
    void invalidBodiesGetProblemDetailsAndRecordNothing() {
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, Deployments.service("cart"), List.of());

        post("{\"deploymentId\": \"" + id + "\", \"samples\": []}")
                .statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/validation"))
                .body("errors.field", contains("samples"));
        // The first sample is fine, the second has no value: the whole batch is refused.
        post(samples(id, sample("error_rate", 0.5), "{\"metric\": \"error_rate\"}"))
                .statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/validation"));
        post(samples(id, sample("error_rate", 0.5), "{\"metric\": \"error_rate\", \"value\": 0.5, "
                + "\"observedAt\": \"" + Instant.now().plus(Duration.ofHours(1)) + "\"}"))
                .statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/invalid-sample"))
                .body("detail", org.hamcrest.Matchers.startsWith("samples[1].observedAt"));
        post(samples(id, "{\"metric\": \"error_rate\", \"value\": \"high\"}"))
                .statusCode(400).body("type", equalTo("https://rollwatch.dev/problems/malformed-body"));
        post("{\"deploymentId\": ").statusCode(400)
                .body("type", equalTo("https://rollwatch.dev/problems/malformed-body"));

        given().when().get("/api/v1/deployments/" + id + "/analysis").then()
                .body("checks.measurements", everyItem(equalTo(0)))
                .body("breaches", empty());
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).isEmpty();
    }

    @Test
    void theCheckCatalogListsTheBuiltInChecks() {
        given().when().get("/api/v1/checks/defaults").then().statusCode(200)
                .body("name", contains("error-rate", "error-rate-warning", "error-rate-critical", "latency-p95",
                        "latency-p95-critical", "latency-p99", "success-rate", "success-rate-critical", "queue-size",
                        "queue-size-high", "queue-size-warning", "memory-growth", "memory-utilization",
                        "cpu-utilization", "cpu-utilization-critical"))
                .body("[0].max", equalTo(0.01f))
                .body("[0].window", equalTo("PT30S"));
    }
}
