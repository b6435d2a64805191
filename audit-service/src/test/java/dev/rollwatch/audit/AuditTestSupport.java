package dev.rollwatch.audit;

import dev.rollwatch.audit.domain.IngestPolicy;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.TestPostgres;
import io.restassured.path.json.JsonPath;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** What the audit ITs share: the broker client, superuser JDBC, and waiting for entries to appear over REST. */
final class AuditTestSupport {

    /**
     * A deadline, not an expectation: on a loaded machine the first batch after start-up waits for the consumer group
     * to settle, which took over 30 s on a 2-core machine shared with six builds (when it had one member per topic,
     * 18 of them; one since issue 19).
     */
    static final Duration WAIT = Duration.ofSeconds(90);

    private AuditTestSupport() {
    }

    /** A superuser connection straight to the database, bypassing the service (what an attacker with DB access has). */
    static Connection superuser() throws SQLException {
        return DriverManager.getConnection(TestPostgres.jdbcUrl(), TestPostgres.USER, TestPostgres.PASSWORD);
    }

    /** The deployment's entries as GET /api/v1/audit/events shows them, once there are {@code count}. */
    static JsonPath awaitEntries(String deploymentId, int count) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(
                () -> entries(deploymentId), page -> page.getList("entries").size() >= count);
    }

    static JsonPath entries(String deploymentId) {
        return given().queryParam("deploymentId", deploymentId).queryParam("limit", 1000)
                .when().get("/api/v1/audit/events")
                .then().statusCode(200).extract().jsonPath();
    }

    /** A fresh event of a type this build does not know, from the topic's producer (ingest refuses other sources). */
    static byte[] marker(String topic, String subject) {
        return ("{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\""
                + IngestPolicy.producerOf(topic).orElseThrow() + "\","
                + "\"type\":\"dev.rollwatch.test.marker.v1\",\"subject\":\"" + subject + "\",\"data\":{}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Send each event and wait until it is in the log before the next, as a causal chain arrives in real life. */
    static void sendInOrder(KafkaTestClient kafka, List<? extends Envelope<?>> events) {
        for (int i = 0; i < events.size(); i++) {
            kafka.send(events.get(i));
            awaitEntries(events.get(i).subject(), i + 1);
        }
    }
}
