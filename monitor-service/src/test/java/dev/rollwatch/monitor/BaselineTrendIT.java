package dev.rollwatch.monitor;

import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.Envelope;
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
import static dev.rollwatch.monitor.PushSamplesIT.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** Checks against the stable version (ratio, difference) and trends (growth per hour), over pushed samples. */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class BaselineTrendIT {

    private static KafkaTestClient kafka;
    private static final Instant T0 = Instant.parse("2026-03-02T14:00:00Z");
    private static final double MB = 1024 * 1024;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    static String sample(String metric, double value, long second, String version) {
        return "{\"metric\": \"" + metric + "\", \"value\": " + value + ", \"observedAt\": \"" + T0.plusSeconds(second)
                + "\"" + (version == null ? "" : ", \"version\": \"" + version + "\"") + "}";
    }

    @Test
    void aRatioAgainstTheStableVersionBreachesWithTheBaselineInTheEventAndNoBaselineIsError() {
        String id = Deployments.newId();
        CheckSpec spec = new CheckSpec("latency-vs-stable", "push", "latency_p95", null, null, 1.5, null,
                Duration.ofSeconds(30), 1, 4, Severity.P2, Measure.BASELINE_RATIO);
        Deployments.startWatch(kafka, id, Deployments.service("ratio"), List.of(spec));

        post(Deployments.samples(id, sample("latency_p95", 0.9, 0, null)))
                .statusCode(202)
                .body("evaluated[0].checks[0].outcome", equalTo("ERROR"))
                .body("evaluated[0].checks[0].reason", startsWith("no baseline"))
                .body("breachEventIds", empty());
        // The stable version at 0.2 s; the canary at 0.25 s is 1.25× (passes), at 0.4 s 2× (fails).
        post(Deployments.samples(id, sample("latency_p95", 0.2, 1, "2.3.0"), sample("latency_p95", 0.25, 2, null),
                sample("latency_p95", 0.4, 3, null)))
                .statusCode(202)
                .body("evaluated[0].note", containsString("baseline of latency-vs-stable"))
                .body("evaluated[1].checks[0].outcome", equalTo("PASSED"))
                .body("evaluated[1].checks[0].compared", equalTo(1.25f))
                .body("evaluated[2].checks[0].outcome", equalTo("FAILED"))
                .body("evaluated[2].checks[0].baseline", equalTo(0.2f));

        ThresholdBreached breach = kafka.awaitEvent(Topics.THRESHOLD_BREACHED, id, ThresholdBreached.class, WAIT)
                .data();
        assertThat(breach.measure()).isEqualTo(Measure.BASELINE_RATIO);
        assertThat(breach.baseline()).isEqualTo(0.2);
        assertThat(breach.observed()).hasSize(1);
        assertThat(breach.observed().get(0)).isCloseTo(2.0, within(1e-9));
        assertThat(breach.threshold()).isEqualTo(1.5);
        assertThat(breach.operator()).isEqualTo(Operator.GT);
        assertThat(breach.ruleVersion()).isEqualTo(CheckRule.from(spec).ruleVersion());

        // A stable value older than the window is no baseline: ERROR, never a pass.
        post(Deployments.samples(id, sample("latency_p95", 0.1, 120, null)))
                .statusCode(202)
                .body("evaluated[0].checks[0].outcome", equalTo("ERROR"));
    }

    @Test
    void aDifferenceAgainstTheStableVersion() {
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, Deployments.service("difference"), List.of(new CheckSpec("errors-vs-stable",
                "push", "error_rate", null, null, 0.005, null, null, 1, 4, Severity.P1,
                Measure.BASELINE_DIFFERENCE)));
        post(Deployments.samples(id, sample("error_rate", 0.010, 0, "2.3.0"), sample("error_rate", 0.012, 1, null),
                sample("error_rate", 0.03, 2, null)))
                .statusCode(202)
                .body("evaluated[1].checks[0].outcome", equalTo("PASSED"))
                .body("evaluated[2].checks[0].outcome", equalTo("FAILED"));
        ThresholdBreached breach = kafka.awaitEvent(Topics.THRESHOLD_BREACHED, id, ThresholdBreached.class, WAIT)
                .data();
        assertThat(breach.measure()).isEqualTo(Measure.BASELINE_DIFFERENCE);
        assertThat(breach.observed().get(0)).isCloseTo(0.02, within(1e-9));
        assertThat(breach.baseline()).isEqualTo(0.010);
        assertThat(breach.severity()).isEqualTo(Severity.P1);
    }

    @Test
    void theBuiltInMemoryCheckBreachesOnALeakNotOnAHighButFlatValue() {
        String flat = Deployments.newId();
        String leak = Deployments.newId();
        Deployments.startWatch(kafka, flat, Deployments.service("flat"), List.of());
        Deployments.startWatch(kafka, leak, Deployments.service("leak"), List.of());
        String m = "process_resident_memory_bytes";

        // 2 GB, flat for two minutes: no growth.
        post(Deployments.samples(flat, sample(m, 2048 * MB, 0, null), sample(m, 2048 * MB, 60, null),
                sample(m, 2048 * MB, 120, null))).statusCode(202).body("breachEventIds", empty());
        // 180 MB growing 20 MB per hour, measured every 30 s.
        String[] leaking = new String[5];
        for (int i = 0; i < leaking.length; i++) {
            leaking[i] = sample(m, 180 * MB + 20 * MB * (30.0 * i) / 3600, 30L * i, null);
        }
        post(Deployments.samples(leak, leaking)).statusCode(202)
                .body("evaluated.checks.flatten().outcome", contains("ERROR", "FAILED", "FAILED", "FAILED",
                        "FAILED"));

        Envelope<ThresholdBreached> breach = kafka.awaitEvent(Topics.THRESHOLD_BREACHED, leak,
                ThresholdBreached.class, WAIT);
        assertThat(breach.data().check()).isEqualTo("memory-growth");
        assertThat(breach.data().measure()).isEqualTo(Measure.GROWTH_PER_HOUR);
        assertThat(breach.data().observed().get(0)).isCloseTo(20 * MB, within(1.0));
        // 000: memory growth > 10 MB/h is a P1 memory leak, MB = 10^6 bytes as the runbooks write.
        assertThat(breach.data().threshold()).isEqualTo(10_000_000.0);
        assertThat(breach.data().severity()).isEqualTo(Severity.P1);
        assertThat(breach.data().ruleVersion()).isEqualTo("builtin-v2");
        assertThat(breach.data().kindOrDefault()).isEqualTo(ThresholdBreached.KIND_THRESHOLD);
        assertThat(breach.data().phaseOrDefault()).isEqualTo(ThresholdBreached.PHASE_ROLLOUT);
        assertThat(breach.data().deploymentStartedAt()).isNotNull();
        assertThat(breach.data().observedAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, flat)).isEmpty();
    }

    @Test
    void theValidationEndpointRefusesAnUnknownMeasureAndABaselineWithoutAStableVersion() {
        given().contentType(ContentType.JSON).body("""
                {"checks": [{"name": "a", "provider": "push", "metric": "error_rate", "max": 2, "measure": "MEDIAN"},
                            {"name": "b", "provider": "push", "metric": "error_rate", "max": 2,
                             "measure": "BASELINE_RATIO"}]}
                """).when().post("/api/v1/checks/validate").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/invalid-check"))
                .body("errors.check", contains(0, 1))
                .body("errors.field", contains("measure", "measure"))
                .body("errors[0].message", containsString("unknown measure MEDIAN"))
                .body("errors[1].message", containsString("no previousVersion"));
        given().contentType(ContentType.JSON).body("""
                {"previousVersion": "2.3.0",
                 "checks": [{"name": "b", "provider": "scrape", "metric": "latency_p95", "max": 1.5,
                             "measure": "BASELINE_RATIO"},
                            {"name": "c", "provider": "scrape", "metric": "process_resident_memory_bytes",
                             "max": 1048576, "measure": "GROWTH_PER_HOUR"}]}
                """).when().post("/api/v1/checks/validate").then()
                .statusCode(200)
                .body("measure", contains("BASELINE_RATIO", "GROWTH_PER_HOUR"));
    }
}
