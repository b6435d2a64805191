package dev.rollwatch.monitor;

import com.sun.net.httpserver.HttpServer;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.rollwatch.monitor.Deployments.WAIT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

/**
 * The scrape provider against a real HTTP endpoint serving the target protocol's Prometheus text, whose canary
 * answers 50 requests per scrape with a configurable number of errors.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class ScrapeProviderIT {

    private static KafkaTestClient kafka;
    private static HttpServer target;

    @BeforeAll
    static void start() throws IOException {
        kafka = KafkaTestClient.forTestBroker();
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serve("/bad/metrics", "bad", 4);   // 8% errors
        serve("/good/metrics", "good", 0);
        target.start();
    }

    @AfterAll
    static void stop() {
        target.stop(0);
        kafka.close();
    }

    /** Every scrape, the canary 2.4.0 of {@code service} has answered 50 more requests, {@code errors} of them 500. */
    static void serve(String path, String service, int errors) {
        AtomicInteger scrapes = new AtomicInteger();
        target.createContext(path, exchange -> {
            int n = scrapes.incrementAndGet();
            String body = """
                    # TYPE http_requests_total counter
                    http_requests_total{service="%1$s",version="2.3.0",code="200"} %2$d
                    http_requests_total{service="%1$s",version="2.3.0",code="500"} 0
                    http_requests_total{service="%1$s",version="2.4.0",code="200"} %3$d
                    http_requests_total{service="%1$s",version="2.4.0",code="500"} %4$d
                    """.formatted(service, 950 * n, (50 - errors) * n, errors * n);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
    }

    static String url(String path) {
        return "http://127.0.0.1:" + target.getAddress().getPort() + path;
    }

    static CheckSpec scrapedErrorRate(int consecutiveErrorLimit) {
        return new CheckSpec("error-rate", "scrape", "error_rate", null, null, 0.01, Duration.ofSeconds(1),
                Duration.ofSeconds(1), 1, consecutiveErrorLimit, Severity.P1);
    }

    @Test
    void aBadVersionWithEightPercentErrorsBreachesP1WithTheMeasuredRate() {
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, "bad", List.of(scrapedErrorRate(4)), url("/bad/metrics"));

        Envelope<ThresholdBreached> breach = kafka.awaitEvent(Topics.THRESHOLD_BREACHED, id,
                ThresholdBreached.class, WAIT);
        assertThat(breach.data().severity()).isEqualTo(Severity.P1);
        assertThat(breach.data().observed()).containsExactly(0.08);
        assertThat(breach.data().operator()).isEqualTo(Operator.GT);
        assertThat(breach.data().threshold()).isEqualTo(0.01);
        assertThat(breach.data().version()).isEqualTo("2.4.0");
    }

    @Test
    void aHealthyVersionPasses() {
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, "good", List.of(scrapedErrorRate(4)), url("/good/metrics"));

        await().atMost(WAIT).untilAsserted(() -> given().when().get("/api/v1/deployments/" + id + "/analysis")
                .then().body("checks[0].measurements", greaterThanOrEqualTo(2)));
        given().when().get("/api/v1/deployments/" + id + "/analysis").then()
                .body("verdict", equalTo("SUCCESSFUL"))
                .body("checks[0].lastValue", equalTo(0.0f))
                .body("breaches", empty());
    }

    @Test
    void aTargetThatCannotBeScrapedIsErrorNotFailedAndNeverABreach() {
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, "down", List.of(scrapedErrorRate(2)), url("/nothing-here"));

        await().atMost(WAIT).untilAsserted(() -> given().when().get("/api/v1/deployments/" + id + "/analysis")
                .then().body("checks[0].verdict", equalTo("ERROR")));
        given().when().get("/api/v1/deployments/" + id + "/analysis").then()
                .body("verdict", equalTo("ERROR"))
                .body("checks[0].failures", equalTo(0))
                .body("checks[0].recent[0].outcome", equalTo("ERROR"))
                .body("breaches", empty());
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).isEmpty();
    }
}
