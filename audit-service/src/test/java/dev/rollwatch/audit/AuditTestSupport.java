package dev.rollwatch.audit;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.TestPostgres;
import io.restassured.path.json.JsonPath;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** What the audit ITs share: the broker client, superuser JDBC, and waiting for entries to appear over REST. */
final class AuditTestSupport {

    /**
     * A deadline, not an expectation: on a loaded machine the first batch after start-up waits for the consumer group
     * (one member per channel, 18 of them) to settle, which took over 30 s on a 2-core machine shared with six builds.
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

    /** Send each event and wait until it is in the log before the next, as a causal chain arrives in real life. */
    static void sendInOrder(KafkaTestClient kafka, List<? extends Envelope<?>> events) {
        for (int i = 0; i < events.size(); i++) {
            kafka.send(events.get(i));
            awaitEntries(events.get(i).subject(), i + 1);
        }
    }
}
