package dev.rollwatch.monitor;

import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.Operator;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.List;

import static dev.rollwatch.monitor.Deployments.WAIT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;

/**
 * The {@code prometheus} provider against a real Prometheus server ({@link PrometheusServerResource}) scraping the
 * real demo-target, whose bad version answers 8% errors for one service and a good one 0.1% for another. The last test stops the
 * server: a provider that is down is ERROR, never a breach.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PrometheusServerResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusProviderIT {

    /** The error rate of the version under watch, from the placeholders, as a PromQL ratio over 5s. */
    static final String ERROR_RATE = "sum(rate(http_requests_total{service=\"{{service}}\",version=\"{{version}}\","
            + "code=~\"5..\"}[5s])) / sum(rate(http_requests_total{service=\"{{service}}\",version=\"{{version}}\"}"
            + "[5s]))";

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    static CheckSpec promErrorRate(int consecutiveErrorLimit) {
        return new CheckSpec("error-rate", "prometheus", "error_rate", ERROR_RATE, null, 0.01,
                Duration.ofSeconds(1), Duration.ofSeconds(5), 1, consecutiveErrorLimit, Severity.P1);
    }

    static String analysis(String id) {
        return "/api/v1/deployments/" + id + "/analysis";
    }

    @Test
    @Order(1)
    void aBadVersionMeasuredByPromqlAtEightPercentBreachesP1WithTheMeasuredValue() {
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, PrometheusServerResource.BAD, PrometheusServerResource.BAD_VERSION,
                List.of(promErrorRate(30)), null);

        Envelope<ThresholdBreached> breach = kafka.awaitEvent(Topics.THRESHOLD_BREACHED, id,
                ThresholdBreached.class, WAIT);
        assertThat(breach.data().severity()).isEqualTo(Severity.P1);
        assertThat(breach.data().check()).isEqualTo("error-rate");
        assertThat(breach.data().observed()).hasSize(1);
        // About 1,000 requests/s reach the bad version: 8% of them, give or take the draw.
        assertThat(breach.data().observed().get(0)).isCloseTo(0.08, within(0.03));
        assertThat(breach.data().version()).isEqualTo(PrometheusServerResource.BAD_VERSION);
        assertThat(breach.data().operator()).isEqualTo(Operator.GT);
        assertThat(breach.data().threshold()).isEqualTo(0.01);
        assertThat(breach.data().query()).isEqualTo(ERROR_RATE);
        given().when().get(analysis(id)).then()
                .body("verdict", equalTo("FAILED"))
                .body("breaches[0].observed[0]", equalTo(breach.data().observed().get(0).floatValue()))
                .body("checks[0].provider", equalTo("prometheus"));
    }

    @Test
    @Order(2)
    void aHealthyVersionPasses() {
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, PrometheusServerResource.GOOD, PrometheusServerResource.GOOD_VERSION,
                List.of(promErrorRate(30)), null);

        await().atMost(WAIT).untilAsserted(() -> given().when().get(analysis(id)).then()
                .body("checks[0].verdict", equalTo("SUCCESSFUL"))
                .body("checks[0].measurements", greaterThanOrEqualTo(3))
                .body("checks[0].lastValue", lessThan(0.01f)));
        given().when().get(analysis(id)).then()
                .body("verdict", equalTo("SUCCESSFUL"))
                .body("checks[0].totalFailures", equalTo(0))
                .body("breaches", empty());
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).isEmpty();
    }

    @Test
    @Order(3)
    void prometheusDownIsErrorNotFailedAndNeverABreach() {
        long pid = Long.parseLong(ConfigProvider.getConfig().getValue(PrometheusServerResource.PID_KEY,
                String.class));
        ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
        server.destroy();
        await().atMost(WAIT).until(() -> !server.isAlive());

        // The bad version: were anything measured, it would breach. Nothing can be, so it must not.
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, PrometheusServerResource.BAD, PrometheusServerResource.BAD_VERSION,
                List.of(promErrorRate(3)), null);

        await().atMost(WAIT).untilAsserted(() -> given().when().get(analysis(id)).then()
                .body("checks[0].verdict", equalTo("ERROR"))
                .body("checks[0].measurements", greaterThanOrEqualTo(3)));
        given().when().get(analysis(id)).then()
                .body("verdict", equalTo("ERROR"))
                .body("checks[0].failures", equalTo(0))
                .body("checks[0].totalFailures", equalTo(0))
                .body("checks[0].recent[0].outcome", equalTo("ERROR"))
                .body("checks[0].recent[0].reason", containsString("unreachable"))
                .body("breaches", empty());
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).isEmpty();
    }
}
