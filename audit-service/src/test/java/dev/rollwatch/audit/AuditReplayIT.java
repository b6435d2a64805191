package dev.rollwatch.audit;

import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestKafka;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.rollwatch.audit.AuditTestSupport.WAIT;
import static dev.rollwatch.audit.AuditTestSupport.entries;
import static dev.rollwatch.audit.AuditTestSupport.sendInOrder;
import static dev.rollwatch.audit.AuditTestSupport.superuser;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Replays re-publish the stored bytes in log order with the replay headers, and can be followed to completion. */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class AuditReplayIT {

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    /** The requester a replay records is the token's subject (the body cannot name one). */
    private static final String REQUESTER = "carol-auditor";

    private static String startReplay(Map<String, Object> request, String expectedDestination, long expectedTotal) {
        var response = given().header("Authorization", TestTokens.builder().subject(REQUESTER).roles("auditor")
                        .services("*").bearer()).contentType(ContentType.JSON).body(request)
                .when().post("/api/v1/audit/replays")
                .then().statusCode(202)
                .body("requestedBy", equalTo(REQUESTER))
                .body("destination", equalTo(expectedDestination))
                .body("total", equalTo((int) expectedTotal))
                .body("published", equalTo(0))
                .extract();
        String id = response.path("id");
        assertThat(response.header("Location")).endsWith("/api/v1/audit/replays/" + id);
        return id;
    }

    /** Follow the replay's progress until it is COMPLETED (failing at once if it FAILED). */
    private static JsonPath awaitCompleted(String id) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonPath progress = given().when().get("/api/v1/audit/replays/" + id)
                    .then().statusCode(200).extract().jsonPath();
            assertThat(progress.getString("status")).as("replay %s: %s", id, progress.getString("error"))
                    .isNotEqualTo("FAILED");
            return progress;
        }, p -> "COMPLETED".equals(p.getString("status")) && REQUESTER.equals(p.getString("requestedBy")));
    }

    /** The records of replay {@code id} on {@code topic}, once all {@code count} are there. */
    private static List<ConsumerRecord<String, byte[]>> replayed(String topic, String id, int count) {
        AtomicInteger seen = new AtomicInteger();
        return kafka.awaitRecords(topic,
                r -> id.equals(KafkaTestClient.header(r, "rollwatch-replay-id")) && seen.incrementAndGet() == count,
                WAIT).stream().filter(r -> id.equals(KafkaTestClient.header(r, "rollwatch-replay-id"))).toList();
    }

    @Test
    void aReplayToAFreshTopicReproducesTheStoredEventsByteForByteInOrder() {
        RollbackFlow flow = new RollbackFlow();
        sendInOrder(kafka, flow.events());
        List<Long> positions = entries(flow.deploymentId).getList("entries.position", Long.class);
        String topic = "audit-replay.it-" + UUID.randomUUID();

        String id = startReplay(Map.of("deploymentId", flow.deploymentId, "destination", topic), topic,
                flow.events().size());
        JsonPath done = awaitCompleted(id);
        assertThat(done.getLong("published")).isEqualTo(flow.events().size());
        assertThat(done.getLong("total")).isEqualTo(flow.events().size());
        assertThat(done.getLong("lastPosition")).isEqualTo(positions.get(positions.size() - 1));
        assertThat(done.getString("finishedAt")).isNotBlank();

        List<ConsumerRecord<String, byte[]>> records = replayed(topic, id, flow.events().size());
        assertThat(records).hasSize(flow.events().size());
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            byte[] stored = given().when().get("/api/v1/audit/events/" + positions.get(i) + "/raw")
                    .then().statusCode(200).extract().asByteArray();
            assertThat(KafkaTestClient.header(record, "rollwatch-audit-position"))
                    .isEqualTo(Long.toString(positions.get(i)));
            assertThat(record.value()).as("bytes of position %d", positions.get(i)).isEqualTo(stored)
                    .isEqualTo(EventCodec.encode(flow.events().get(i)));
            assertThat(record.key()).isEqualTo(flow.deploymentId);
            assertThat(KafkaTestClient.header(record, Topics.REPLAY_HEADER)).isEqualTo("true");
            assertThat(KafkaTestClient.header(record, "content-type")).isEqualTo(EventCodec.CONTENT_TYPE);
        }
    }

    @Test
    void aFreshConsumerRebuildsADeploymentsFinalStateFromTheReplayAlone() {
        RollbackFlow flow = new RollbackFlow();
        sendInOrder(kafka, flow.events());

        String id = startReplay(Map.of("deploymentId", flow.deploymentId), Topics.AUDIT_REPLAY,
                flow.events().size());
        awaitCompleted(id);

        DeploymentProjection fromReplay = new DeploymentProjection();
        for (ConsumerRecord<String, byte[]> record : replayed(Topics.AUDIT_REPLAY, id, flow.events().size())) {
            assertThat(KafkaTestClient.header(record, Topics.REPLAY_HEADER)).isEqualTo("true");
            fromReplay.apply(EventCodec.decode(record.value()));
        }
        assertThat(fromReplay.state()).isEqualTo(new DeploymentProjection.State(flow.deploymentId, "checkout",
                "production", "ROLLED_BACK", "2.3.0", "2.4.0", 0, 1, 1, 1));

        DeploymentProjection fromTheOriginals = new DeploymentProjection();
        flow.events().forEach(e -> fromTheOriginals.apply(EventCodec.decode(EventCodec.encode(e))));
        assertThat(fromReplay.state()).usingRecursiveComparison().isEqualTo(fromTheOriginals.state());
    }

    @Test
    void aReplayCoversAFixedPositionRangeAndTypeFilter() {
        RollbackFlow flow = new RollbackFlow();
        sendInOrder(kafka, flow.events());
        List<Long> positions = entries(flow.deploymentId).getList("entries.position", Long.class);
        String topic = "audit-replay.it-" + UUID.randomUUID();

        // positions of the breach .. the completion, but only deploy-service events: the completion alone
        String id = startReplay(Map.of("deploymentId", flow.deploymentId, "source", RollbackFlow.DEPLOY,
                "fromPosition", positions.get(3), "toPosition", positions.get(6), "destination", topic), topic, 1);
        awaitCompleted(id);
        List<ConsumerRecord<String, byte[]>> records = replayed(topic, id, 1);
        assertThat(records).hasSize(1);
        assertThat(EventCodec.decode(records.get(0).value()).id()).isEqualTo(flow.completed.id());
    }

    @Test
    void badReplayRequestsGetProblemDetailsAndStoreNothing() throws SQLException {
        long before = replayRows();
        // Replays write to replay topics only (issue 17, 7): not a contract, input or dead-letter topic, and nothing
        // outside audit-replay / audit-replay.<name> — such a topic is not created either.
        String elsewhere = "forensics-" + UUID.randomUUID();
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("destination", Topics.DEPLOYMENT_STARTED),
                Map.of("destination", "not a topic!"), Map.of("destination", "audit-replay.dlq"),
                Map.of("destination", Topics.METRIC_SAMPLES), Map.of("destination", elsewhere),
                Map.of("destination", "audit-replay-" + elsewhere))) {
            given().contentType(ContentType.JSON).body(bad).when().post("/api/v1/audit/replays")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("https://rollwatch.dev/problems/invalid-destination"));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(elsewhere,
                    "audit-replay-" + elsewhere);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
        given().contentType(ContentType.JSON).body(Map.of("fromPosition", 0)).when().post("/api/v1/audit/replays")
                .then().statusCode(400).body("type", equalTo("https://rollwatch.dev/problems/invalid-range"));
        given().contentType(ContentType.JSON).body(Map.of("fromPosition", 5, "toPosition", 2))
                .when().post("/api/v1/audit/replays")
                .then().statusCode(400).body("type", equalTo("https://rollwatch.dev/problems/invalid-range"));
        given().contentType(ContentType.JSON).body(Map.of("toPosition", Long.MAX_VALUE / 2))
                .when().post("/api/v1/audit/replays")
                .then().statusCode(400).body("type", equalTo("https://rollwatch.dev/problems/range-beyond-head"));
        given().contentType(ContentType.JSON).body(Map.of("from", "yesterday")).when().post("/api/v1/audit/replays")
                .then().statusCode(400).body("type", equalTo("https://rollwatch.dev/problems/invalid-time"));
        assertThat(replayRows()).isEqualTo(before);

        given().when().get("/api/v1/audit/replays/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/not-found"));
        given().when().get("/api/v1/audit/replays/not-an-id").then().statusCode(404);
    }

    private static long replayRows() throws SQLException {
        try (Connection c = superuser(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM audit.audit_replay")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
