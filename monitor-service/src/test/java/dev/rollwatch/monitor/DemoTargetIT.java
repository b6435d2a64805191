package dev.rollwatch.monitor;

import dev.rollwatch.events.AnalysisCompleted;
import dev.rollwatch.events.CheckResult;
import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.Measure;
import dev.rollwatch.events.Operator;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepStarted;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Topics;
import dev.rollwatch.events.Verdict;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.rollwatch.monitor.Deployments.DEPLOY_SOURCE;
import static dev.rollwatch.monitor.Deployments.WAIT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

/**
 * The {@code scrape} provider against the real demo-target (its packaged jar, as its own process): the new version
 * gets half of the simulated traffic, and the monitor measures it from the target's {@code /metrics} exactly as in
 * the demo. Good versions answer 0.1% errors at p95 120 ms; versions named {@code …-bad} 8% at p95 900 ms.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class DemoTargetIT {

    private static final double MB = 1024 * 1024;
    private static KafkaTestClient kafka;
    private static DemoTarget target;

    @BeforeAll
    static void start() {
        kafka = KafkaTestClient.forTestBroker();
        target = DemoTarget.start();
    }

    @AfterAll
    static void stop() {
        if (target != null) {
            target.close();
        }
        kafka.close();
    }

    static CheckSpec scraped(String name, String metric, Double min, Double max, Severity severity,
            Measure measure) {
        return new CheckSpec(name, "scrape", metric, null, min, max, Duration.ofSeconds(1), Duration.ofSeconds(30),
                1, 4, severity, measure);
    }

    static final CheckSpec ERROR_RATE = scraped("error-rate", "error_rate", null, 0.01, Severity.P1, Measure.VALUE);
    static final CheckSpec LATENCY = scraped("latency-p95", "latency_p95", null, 0.5, Severity.P2, Measure.VALUE);
    static final CheckSpec QUEUE = scraped("queue-size", "queue_size", null, 1000.0, Severity.P1, Measure.VALUE);
    static final CheckSpec MEMORY = scraped("memory-growth", "process_resident_memory_bytes", null, 10 * MB,
            Severity.P2, Measure.GROWTH_PER_HOUR);

    static String analysis(String id) {
        return "/api/v1/deployments/" + id + "/analysis";
    }

    @Test
    void aHealthyVersionPassesItsAnalysis() {
        String id = Deployments.newId();
        String service = Deployments.service("dt-good");
        target.route(service, "2.3.0", "2.4.0", 50);
        Deployments.startWatch(kafka, id, service, "2.4.0", List.of(ERROR_RATE, LATENCY, QUEUE, MEMORY),
                target.metricsUrl());
        Envelope<StepStarted> step = Envelope.of(DEPLOY_SOURCE, id, new StepStarted(1, StepKind.ANALYSIS, null,
                Instant.now().plusSeconds(8)));
        kafka.send(step);

        Envelope<AnalysisCompleted> done = kafka.awaitEvent(Topics.ANALYSIS_COMPLETED, id, AnalysisCompleted.class,
                WAIT);
        assertThat(done.causationId()).isEqualTo(step.id());
        assertThat(done.data().verdict()).isEqualTo(Verdict.SUCCESSFUL);
        assertThat(done.data().checks()).extracting(CheckResult::name)
                .containsExactly("error-rate", "latency-p95", "queue-size", "memory-growth");
        assertThat(done.data().checks()).allSatisfy(c -> {
            assertThat(c.verdict()).isEqualTo(Verdict.SUCCESSFUL);
            assertThat(c.measurements()).isPositive();
            assertThat(c.failures()).isZero();
        });
        CheckResult errors = done.data().checks().get(0);
        assertThat(errors.observed()).isLessThan(0.01);
        CheckResult latency = done.data().checks().get(1);
        // p95 120 ms, read from the histogram's buckets.
        assertThat(latency.observed()).isBetween(0.05, 0.25);
        // A healthy version's memory does not grow.
        assertThat(done.data().checks().get(3).observed()).isCloseTo(0.0, within(1.0));
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).isEmpty();
    }

    @Test
    void aBadVersionAtEightPercentErrorsBreachesP1WithTheMeasuredRate() {
        String id = Deployments.newId();
        String service = Deployments.service("dt-bad");
        target.route(service, "2.3.0", "2.4.0-bad", 50);
        Deployments.startWatch(kafka, id, service, "2.4.0-bad", List.of(ERROR_RATE), target.metricsUrl());

        Envelope<ThresholdBreached> breach = kafka.awaitEvent(Topics.THRESHOLD_BREACHED, id,
                ThresholdBreached.class, WAIT);
        assertThat(breach.data().severity()).isEqualTo(Severity.P1);
        assertThat(breach.data().version()).isEqualTo("2.4.0-bad");
        assertThat(breach.data().operator()).isEqualTo(Operator.GT);
        assertThat(breach.data().threshold()).isEqualTo(0.01);
        // About a thousand requests a second reach the canary: 8% of them, give or take the draw.
        assertThat(breach.data().observed()).singleElement().satisfies(v -> assertThat(v).isBetween(0.05, 0.11));
        // The event carries the value the monitor measured, as its analysis view shows it.
        given().when().get(analysis(id)).then()
                .body("verdict", equalTo("FAILED"))
                .body("breaches[0].observed[0]", equalTo(breach.data().observed().get(0).floatValue()))
                .body("checks[0].provider", equalTo("scrape"));
    }

    @Test
    void theSlowBadVersionAgainstTheStableOneBreachesTheBaselineRatioWithTheStableP95InTheEvent() {
        String id = Deployments.newId();
        String service = Deployments.service("dt-ratio");
        target.route(service, "2.3.0", "2.4.0-bad", 50);
        Deployments.startWatch(kafka, id, service, "2.4.0-bad", List.of(scraped("latency-vs-stable", "latency_p95",
                null, 2.0, Severity.P2, Measure.BASELINE_RATIO)), target.metricsUrl());

        ThresholdBreached breach = kafka.awaitEvent(Topics.THRESHOLD_BREACHED, id, ThresholdBreached.class, WAIT)
                .data();
        assertThat(breach.measure()).isEqualTo(Measure.BASELINE_RATIO);
        // The stable version's p95 (120 ms) measured from the same scrapes, and the canary at 900 ms several times it.
        assertThat(breach.baseline()).isBetween(0.05, 0.25);
        assertThat(breach.observed()).singleElement().satisfies(ratio -> assertThat(ratio).isGreaterThan(3.0));
    }

    @Test
    void aLeakingVersionBreachesTheMemoryGrowthTrend() {
        String id = Deployments.newId();
        String service = Deployments.service("dt-leak");
        target.leak("2.4.0-leak", 500);
        target.route(service, "2.3.0", "2.4.0-leak", 50);
        Deployments.startWatch(kafka, id, service, "2.4.0-leak", List.of(MEMORY), target.metricsUrl());

        ThresholdBreached breach = kafka.awaitEvent(Topics.THRESHOLD_BREACHED, id, ThresholdBreached.class, WAIT)
                .data();
        assertThat(breach.check()).isEqualTo("memory-growth");
        assertThat(breach.measure()).isEqualTo(Measure.GROWTH_PER_HOUR);
        assertThat(breach.severity()).isEqualTo(Severity.P2);
        // 500 MB/h, as the slope of the resident memory gauge between scrapes.
        assertThat(breach.observed()).singleElement().satisfies(v -> assertThat(v).isCloseTo(500 * MB,
                within(50 * MB)));
    }

    @Test
    void aTargetThatIsNotListeningIsErrorNotFailedUntilItIsOneP0OutageAfterTheWindow() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String id = Deployments.newId();
        // The bad version: were anything measured, it would breach. Nothing can be, so its check must not; but a
        // target that does not answer for the outage window is down: one P0 of kind unavailable (runbook 002).
        Deployments.startWatch(kafka, id, Deployments.service("dt-down"), "2.4.0-bad", List.of(scraped("error-rate",
                "error_rate", null, 0.01, Severity.P1, Measure.VALUE)), "http://127.0.0.1:" + closed + "/metrics");

        await().atMost(WAIT).untilAsserted(() -> given().when().get(analysis(id)).then()
                .body("checks[0].verdict", equalTo("ERROR"))
                .body("checks[0].measurements", greaterThanOrEqualTo(4)));
        given().when().get(analysis(id)).then()
                .body("verdict", equalTo("ERROR"))
                .body("checks[0].totalFailures", equalTo(0))
                .body("checks[0].recent[0].outcome", equalTo("ERROR"))
                .body("checks[0].episodes", equalTo(0));
        ThresholdBreached outage = kafka.awaitEvent(Topics.THRESHOLD_BREACHED, id, ThresholdBreached.class, WAIT)
                .data();
        assertThat(outage.kind()).isEqualTo(ThresholdBreached.KIND_UNAVAILABLE);
        assertThat(outage.severity()).isEqualTo(Severity.P0);
        assertThat(outage.check()).isEqualTo("availability");
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).hasSize(1);
    }
}
