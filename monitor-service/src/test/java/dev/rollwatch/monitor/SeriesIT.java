package dev.rollwatch.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.Measure;
import dev.rollwatch.events.Severity;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static dev.rollwatch.monitor.Deployments.WAIT;
import static dev.rollwatch.monitor.Deployments.errorRate;
import static dev.rollwatch.monitor.Deployments.samples;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

/**
 * {@code GET /api/v1/deployments/{id}/series}: what the console draws — every check's measurements over time, its
 * threshold and its breaches — kept after the watch stops, scoped to the caller's services, bounded per check.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class SeriesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM = "application/problem+json";
    private static KafkaTestClient kafka;

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "rollwatch.monitor.series-points")
    int seriesPoints;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private static void push(String body) {
        given().contentType(ContentType.JSON).body(body).when().post("/api/v1/samples").then().statusCode(202);
    }

    private static String sample(String metric, double value, Instant at) {
        return "{\"metric\": \"" + metric + "\", \"value\": " + value + ", \"observedAt\": \"" + at + "\"}";
    }

    private static JsonNode series(String id) throws Exception {
        return JSON.readTree(given().when().get("/api/v1/deployments/" + id + "/series").then().statusCode(200)
                .contentType(ContentType.JSON).extract().asString());
    }

    private static List<Instant> times(JsonNode points) {
        List<Instant> out = new ArrayList<>();
        points.forEach(p -> out.add(Instant.parse(p.get("t").asText())));
        return out;
    }

    private static List<Double> values(JsonNode points) {
        List<Double> out = new ArrayList<>();
        points.forEach(p -> out.add(absent(p.path("v")) ? null : p.get("v").asDouble()));
        return out;
    }

    /** A null value: written as null, or left out by the service's JSON mapper. */
    private static boolean absent(JsonNode node) {
        return node.isNull() || node.isMissingNode();
    }

    @Test
    void aBreachingCheckShowsItsPointsInTimeOrderItsThresholdAndTheBreachAtItsTimeAlsoAfterTheWatchStopped()
            throws Exception {
        String id = Deployments.newId();
        String service = Deployments.service("charts");
        CheckSpec growth = new CheckSpec("memory-growth", "push", "process_resident_memory_bytes", null, null,
                1_000_000.0, null, null, 1, 4, Severity.P2, Measure.GROWTH_PER_HOUR);
        Deployments.startWatch(kafka, id, service, List.of(errorRate(2, Severity.P1), growth));
        Instant t0 = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);

        // Two failing values in a row breach (failureLimit 2) at t2; the passing one at t3 closes the episode.
        push(samples(id, sample("error_rate", 0.002, t0.plusSeconds(1)), sample("error_rate", 0.02, t0.plusSeconds(2)),
                sample("error_rate", 0.03, t0.plusSeconds(3)), sample("error_rate", 0.001, t0.plusSeconds(4)),
                sample("process_resident_memory_bytes", 1.0e8, t0.plusSeconds(1)),
                sample("process_resident_memory_bytes", 1.0e8, t0.plusSeconds(61))));
        // A late sample, observed before all the others, arrives last: it is drawn where it belongs, first.
        push(samples(id, sample("error_rate", 0.004, t0)));

        JsonNode view = series(id);
        assertThat(view.get("deploymentId").asText()).isEqualTo(id);
        assertThat(view.get("checks")).hasSize(2);
        JsonNode errors = view.get("checks").get(0);
        assertThat(errors.get("name").asText()).isEqualTo("error-rate");
        assertThat(errors.get("metric").asText()).isEqualTo("error_rate");
        assertThat(errors.get("unit").asText()).isEqualTo("ratio");
        assertThat(errors.get("operator").asText()).isEqualTo(">");
        assertThat(absent(errors.path("min"))).as("min").isTrue();
        assertThat(errors.get("max").asDouble()).isEqualTo(0.01);
        assertThat(errors.get("threshold").asDouble()).isEqualTo(0.01);
        assertThat(times(errors.get("points"))).containsExactly(t0, t0.plusSeconds(1), t0.plusSeconds(2),
                t0.plusSeconds(3), t0.plusSeconds(4));
        assertThat(values(errors.get("points"))).containsExactly(0.004, 0.002, 0.02, 0.03, 0.001);
        assertThat(errors.get("breaches")).hasSize(1);
        JsonNode breach = errors.get("breaches").get(0);
        assertThat(Instant.parse(breach.get("t").asText())).isEqualTo(t0.plusSeconds(3));
        assertThat(breach.get("v").asDouble()).isEqualTo(0.03);
        assertThat(breach.get("severity").asText()).isEqualTo("P1");
        assertThat(breach.get("episode").asInt()).isEqualTo(1);
        assertThat(Instant.parse(breach.get("recoveredAt").asText())).isEqualTo(t0.plusSeconds(4));
        assertThat(errors.get("points").get(0).has("t")).isTrue();

        // A growth needs two points: the first measurement could not be compared (v null), the second is 0 per hour.
        JsonNode memory = view.get("checks").get(1);
        assertThat(memory.get("unit").asText()).isEqualTo("bytes/h");
        assertThat(memory.get("measure").asText()).isEqualTo("GROWTH_PER_HOUR");
        assertThat(values(memory.get("points"))).containsExactly(null, 0.0);
        assertThat(memory.get("breaches")).isEmpty();

        // The deployment is rolled back: the watch stops, the charts stay.
        kafka.send(WatchLifecycleIT.finished(id, service, DeploymentOutcome.ROLLED_BACK));
        await().atMost(WAIT).untilAsserted(() -> given().when().get("/api/v1/deployments/" + id + "/analysis")
                .then().body("status", equalTo("STOPPED")));
        assertThat(series(id)).isEqualTo(view);
    }

    @Test
    void aDeployerSeesTheSeriesOfTheirServiceOnlyAndAnUnknownDeploymentIsNotFound() {
        String id = Deployments.newId();
        String service = Deployments.service("scoped");
        Deployments.startWatch(kafka, id, service, List.of(errorRate(1, Severity.P1)));
        String own = TestTokens.builder().subject("deployer-own").roles("deployer").services(service).bearer();
        String other = TestTokens.builder().subject("deployer-other").roles("deployer")
                .services(Deployments.service("elsewhere")).bearer();

        given().header("Authorization", own).when().get("/api/v1/deployments/" + id + "/series").then()
                .statusCode(200).body("checks[0].name", equalTo("error-rate"));
        given().header("Authorization", other).when().get("/api/v1/deployments/" + id + "/series").then()
                .statusCode(403).contentType(PROBLEM).body("type", endsWith("/forbidden-service"));
        given().header("Authorization", TestTokens.builder().subject("auditor-1").roles("auditor").bearer()).when()
                .get("/api/v1/deployments/" + id + "/series").then().statusCode(403).contentType(PROBLEM);
        given().when().get("/api/v1/deployments/" + Deployments.newId() + "/series").then()
                .statusCode(404).contentType(PROBLEM).body("type", endsWith("/watch-not-found"));
    }

    @Test
    void aCheckKeepsOnlyItsNewestPoints() throws Exception {
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, Deployments.service("bounded"), List.of(errorRate(1, Severity.P1)));
        Instant t0 = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        int total = seriesPoints + 200;
        int first = total / 2;
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            batch.add(sample("error_rate", 0.001, t0.plusSeconds(i)));
            if (i == first - 1 || i == total - 1) {
                push(samples(id, batch.toArray(String[]::new)));
                batch.clear();
            }
        }

        List<Instant> times = times(series(id).get("checks").get(0).get("points"));
        assertThat(times).hasSize(seriesPoints);
        assertThat(times.get(0)).isEqualTo(t0.plusSeconds(total - seriesPoints));
        assertThat(times.get(times.size() - 1)).isEqualTo(t0.plusSeconds(total - 1));
        // Storage is bounded too: older rows are deleted as the series grows (at most a quarter more are kept).
        assertThat(storedPoints(id)).isLessThan(total).isLessThanOrEqualTo(seriesPoints + seriesPoints / 4);
    }

    private long storedPoints(String deploymentId) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM check_point p JOIN check_state c ON c.id = p.check_id WHERE c.deployment_id = ?")) {
            s.setString(1, deploymentId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
