package dev.rollwatch.monitor;

import com.sun.net.httpserver.HttpServer;
import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.Operator;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.ThresholdRecovered;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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
    @Inject
    AgroalDataSource dataSource;
    private static HttpServer target;
    /** What /flaky/metrics and /vanishing/metrics answer now: UP, 503, or VANISHED (2.4.0's series are gone). */
    private static final AtomicReference<String> flaky = new AtomicReference<>("503");
    private static final AtomicReference<String> vanishing = new AtomicReference<>("UP");
    /** How many /drip/metrics answers are being dripped now. */
    private static final AtomicInteger dripping = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        kafka = KafkaTestClient.forTestBroker();
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serve("/bad/metrics", "bad", 4);   // 8% errors
        serve("/good/metrics", "good", 0);
        serveSwitchable("/flaky/metrics", "flaky", flaky);
        serveSwitchable("/vanishing/metrics", "vanishing", vanishing);
        serve("/bad-beside-slow/metrics", "bad-beside-slow", 4);
        target.createContext("/drip/metrics", exchange -> {
            // Headers at once, then the body one byte every 100 ms for ten minutes, until the scraper hangs up.
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, 0);
            dripping.incrementAndGet();
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 6000; i++) {
                    out.write('#');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException e) {
                // the scraper hung up at its deadline
            } finally {
                dripping.decrementAndGet();
            }
        });
        target.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
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

    /** The canary answers like /good while {@code mode} is UP; 503 answers HTTP 503; VANISHED drops 2.4.0's series. */
    static void serveSwitchable(String path, String service, AtomicReference<String> mode) {
        AtomicInteger scrapes = new AtomicInteger();
        target.createContext(path, exchange -> {
            int n = scrapes.incrementAndGet();
            String m = mode.get();
            if (m.equals("503")) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            String stable = """
                    # TYPE http_requests_total counter
                    http_requests_total{service="%1$s",version="2.3.0",code="200"} %2$d
                    """.formatted(service, 950 * n);
            String canary = m.equals("VANISHED") ? "" : """
                    http_requests_total{service="%1$s",version="2.4.0",code="200"} %2$d
                    http_requests_total{service="%1$s",version="2.4.0",code="500"} 0
                    """.formatted(service, 50 * n);
            byte[] bytes = (stable + canary).getBytes(StandardCharsets.UTF_8);
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

    /**
     * A deployment's readings of one poll round are recorded together: PostgreSQL's {@code xmin} (the transaction
     * that wrote a row version) is the same for both checks' rows and for the two points of each round in their
     * series.
     */
    @Test
    void aDeploymentsChecksOfOneRoundAreRecordedInOneTransaction() throws SQLException {
        String id = Deployments.newId();
        CheckSpec successRate = new CheckSpec("success-rate", "scrape", "success_rate", null, 0.99, null,
                Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 4, Severity.P1);
        Deployments.startWatch(kafka, id, "good", List.of(scrapedErrorRate(4), successRate), url("/good/metrics"));
        await().atMost(WAIT).untilAsserted(() -> given().when().get("/api/v1/deployments/" + id + "/analysis")
                .then().body("checks.find { it.name == 'error-rate' }.measurements", greaterThanOrEqualTo(3))
                .body("checks.find { it.name == 'success-rate' }.measurements", greaterThanOrEqualTo(3)));

        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement rows = c.prepareStatement("SELECT count(DISTINCT xmin::text), "
                    + "count(DISTINCT measurements), count(*) FROM check_state WHERE deployment_id = ? "
                    + "AND name IN ('error-rate', 'success-rate')")) {
                rows.setString(1, id);
                try (ResultSet r = rows.executeQuery()) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getInt(3)).isEqualTo(2);
                    assertThat(r.getInt(1)).as("transactions that last wrote the two checks").isEqualTo(1);
                    assertThat(r.getInt(2)).as("different measurement counts").isEqualTo(1);
                }
            }
            try (PreparedStatement rounds = c.prepareStatement("SELECT p.seq, count(*), count(DISTINCT p.xmin::text) "
                    + "FROM check_point p JOIN check_state s ON s.id = p.check_id WHERE s.deployment_id = ? "
                    + "AND s.name IN ('error-rate', 'success-rate') GROUP BY p.seq ORDER BY p.seq")) {
                rounds.setString(1, id);
                int seen = 0;
                try (ResultSet r = rounds.executeQuery()) {
                    while (r.next()) {
                        seen++;
                        assertThat(r.getInt(2)).as("points of round %d", r.getLong(1)).isEqualTo(2);
                        assertThat(r.getInt(3)).as("transactions of round %d", r.getLong(1)).isEqualTo(1);
                    }
                }
                assertThat(seen).isGreaterThanOrEqualTo(3);
            }
        }
        given().when().get("/api/v1/deployments/" + id + "/analysis").then()
                .body("checks.find { it.name == 'success-rate' }.lastValue", equalTo(1.0f))
                .body("breaches", empty());
    }

    @Test
    void aScrapeThatDripsItsBodyDoesNotDelayAnotherWatchsVerdictAndEndsAtItsDeadline() {
        String slow = Deployments.newId();
        Deployments.startWatch(kafka, slow, "slow", List.of(scrapedErrorRate(1000)), url("/drip/metrics"));
        await().atMost(WAIT).until(() -> dripping.get() > 0);

        // While the slow endpoint holds a scrape open, a bad version elsewhere is judged as fast as ever.
        String bad = Deployments.newId();
        Instant watched = Instant.now();
        Deployments.startWatch(kafka, bad, "bad-beside-slow", List.of(scrapedErrorRate(4)),
                url("/bad-beside-slow/metrics"));
        Envelope<ThresholdBreached> breach = kafka.awaitEvent(Topics.THRESHOLD_BREACHED, bad,
                ThresholdBreached.class, WAIT);
        Duration took = Duration.between(watched, Instant.now());
        assertThat(breach.data().observed()).containsExactly(0.08);
        assertThat(took).as("breach of the bad version with a scrape dripping beside it")
                .isLessThan(Duration.ofSeconds(10));
        System.out.printf("ScrapeProviderIT: breach %d ms after the watch started, with a scrape dripping%n",
                took.toMillis());

        // The slow scrape itself ends at its 2 s deadline: ERROR, saying so, without the endpoint's text.
        await().atMost(WAIT).untilAsserted(() -> given().when().get("/api/v1/deployments/" + slow + "/analysis")
                .then().body("checks[0].recent[0].outcome", equalTo("ERROR"))
                .body("checks[0].recent[0].reason", equalTo("scrape of " + url("/drip/metrics")
                        + " failed: no complete answer within 2000 ms")));
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
    void aMetricsUrlThatIsNotThereIsErrorNotFailedAndNotAnOutage() {
        // 404: the URL is wrong, the target is not down. Its reads are ERROR (could not measure), never failures,
        // and never the unavailable breach of a target that is down.
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, "down", List.of(scrapedErrorRate(2)), url("/nothing-here"));

        await().atMost(WAIT).untilAsserted(() -> given().when().get("/api/v1/deployments/" + id + "/analysis")
                .then().body("checks[0].verdict", equalTo("ERROR")));
        given().when().get("/api/v1/deployments/" + id + "/analysis").then()
                .body("verdict", equalTo("ERROR"))
                .body("checks[0].failures", equalTo(0))
                .body("checks[0].recent[0].outcome", equalTo("ERROR"))
                .body("breaches", empty());
        // Longer than the outage window (3 s in %test): still no breach.
        await().pollDelay(Duration.ofSeconds(6)).atMost(WAIT).until(() -> true);
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).isEmpty();
    }

    @Test
    void aTargetDownForTheOutageWindowIsOneP0UnavailableBreachAndItsRecoveryClosesIt() {
        flaky.set("503");
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, "flaky", List.of(scrapedErrorRate(4)), url("/flaky/metrics"));

        // A single failed read is ERROR, not FAILED: no breach of the check itself.
        await().atMost(WAIT).untilAsserted(() -> given().when().get("/api/v1/deployments/" + id + "/analysis")
                .then().body("checks[0].recent[0].outcome", equalTo("ERROR")));
        given().when().get("/api/v1/deployments/" + id + "/analysis").then().body("checks[0].failures", equalTo(0));

        // Unreachable for the outage window: one ThresholdBreached of kind unavailable, P0.
        Envelope<ThresholdBreached> outage = kafka.awaitEvent(Topics.THRESHOLD_BREACHED, id,
                ThresholdBreached.class, WAIT);
        assertThat(outage.data().kind()).isEqualTo(ThresholdBreached.KIND_UNAVAILABLE);
        assertThat(outage.data().severity()).isEqualTo(Severity.P0);
        assertThat(outage.data().check()).isEqualTo("availability");
        assertThat(outage.data().threshold()).isEqualTo(3.0);
        assertThat(outage.data().observed()).hasSize(1);
        assertThat(outage.data().observed().get(0)).isGreaterThanOrEqualTo(3.0);
        assertThat(outage.data().phaseOrDefault()).isEqualTo(ThresholdBreached.PHASE_ROLLOUT);
        assertThat(outage.data().deploymentStartedAt()).isNotNull();

        // Still down for several more windows: still that one breach (one per episode, no flood).
        await().pollDelay(Duration.ofSeconds(7)).atMost(WAIT).until(() -> true);
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).hasSize(1);

        // It answers again: one ThresholdRecovered naming the breach.
        flaky.set("UP");
        Envelope<ThresholdRecovered> recovered = kafka.awaitEvent(Topics.THRESHOLD_RECOVERED, id,
                ThresholdRecovered.class, WAIT);
        assertThat(recovered.data().breachEventId()).isEqualTo(outage.id());
        assertThat(recovered.data().check()).isEqualTo("availability");
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).hasSize(1);
    }

    @Test
    void aVersionWhoseSeriesVanishAfterReportingIsUnavailable() {
        vanishing.set("UP");
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, "vanishing", List.of(scrapedErrorRate(4)), url("/vanishing/metrics"));
        await().atMost(WAIT).untilAsserted(() -> given().when().get("/api/v1/deployments/" + id + "/analysis")
                .then().body("checks[0].measurements", greaterThanOrEqualTo(1)));

        // The scrape still answers 200 with the stable version's series, but 2.4.0 stopped reporting.
        vanishing.set("VANISHED");
        Envelope<ThresholdBreached> outage = kafka.awaitEvent(Topics.THRESHOLD_BREACHED, id,
                ThresholdBreached.class, WAIT);
        assertThat(outage.data().kind()).isEqualTo(ThresholdBreached.KIND_UNAVAILABLE);
        assertThat(outage.data().severity()).isEqualTo(Severity.P0);
        assertThat(outage.data().version()).isEqualTo("2.4.0");
        vanishing.set("UP");
    }

    @Test
    void theDefaultChecksOnMetricsTheTargetDoesNotExposeStayInconclusiveAndAreNoOutage() {
        // The good target exposes request counters only: no latency buckets, queue, memory or CPU gauges.
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, "good", List.of(), url("/good/metrics"));
        await().atMost(WAIT).untilAsserted(() -> given().when().get("/api/v1/deployments/" + id + "/analysis")
                .then().body("checks.find { it.name == 'error-rate' }.measurements", greaterThanOrEqualTo(2)));
        await().pollDelay(Duration.ofSeconds(5)).atMost(WAIT).until(() -> true);
        given().when().get("/api/v1/deployments/" + id + "/analysis").then()
                .body("checks.find { it.name == 'cpu-utilization' }.verdict", equalTo("INCONCLUSIVE"))
                .body("checks.find { it.name == 'cpu-utilization' }.measurements", equalTo(0))
                .body("checks.find { it.name == 'queue-size' }.verdict", equalTo("INCONCLUSIVE"))
                .body("checks.find { it.name == 'error-rate' }.verdict", equalTo("SUCCESSFUL"))
                .body("breaches", empty());
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).isEmpty();
    }
}
