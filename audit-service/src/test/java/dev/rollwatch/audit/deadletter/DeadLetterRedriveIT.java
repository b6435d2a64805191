package dev.rollwatch.audit.deadletter;

import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.events.Target;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestPostgres;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The operator's dead-letter tool against the real broker and database (issue 17, 4): an event the audit log cannot
 * store (the database refuses it) lands in {@code deployment-started.dlq}; it is listed with its reason; once the
 * cause is fixed an operator re-drives it, the audit log consumes it, records who re-drove it in the hash chain, and
 * verify stays valid; a second re-drive is 409; other roles and scoped tokens are refused.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class DeadLetterRedriveIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String DLQ = Topics.dlq(Topics.DEPLOYMENT_STARTED);
    private static final String OPERATOR = TestTokens.builder().subject("olga-operator").roles("operator")
            .services("*").bearer();

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private static Connection owner() throws SQLException {
        return DriverManager.getConnection(TestPostgres.jdbcUrl(), TestPostgres.USER, TestPostgres.PASSWORD);
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = owner(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static Envelope<DeploymentStarted> started(String deploymentId) {
        return Envelope.of("/rollwatch/deploy-service", deploymentId, new DeploymentStarted("checkout",
                "production", "2.4.0", "2.3.0", new Target("http", "http://127.0.0.1:8090", null),
                List.of(StepSpec.setWeight(5)), null, "alice"));
    }

    /** The DLQ's record of event {@code eventId}, once it is listed. */
    private static Map<String, Object> awaitListed(String eventId) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            String from = null;
            do {
                var request = given().header("Authorization", OPERATOR).queryParam("limit", 200);
                if (from != null) {
                    request.queryParam("from", from);
                }
                JsonPath page = request.when().get("/api/v1/dead-letters/" + DLQ).then().statusCode(200)
                        .extract().jsonPath();
                List<Map<String, Object>> records = page.getList("records");
                for (Map<String, Object> r : records) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> record = (Map<String, Object>) r.get("record");
                    if (eventId.equals(record.get("eventId"))) {
                        return r;
                    }
                }
                from = page.getString("next");
            } while (from != null);
            return null;
        }, r -> r != null);
    }

    @Test
    void aRecordTheLogCouldNotStoreIsListedRedrivenOnceAuditedAndConsumed() throws SQLException {
        String deploymentId = UUID.randomUUID().toString();
        Envelope<DeploymentStarted> event = started(deploymentId);
        String constraint = "dead_letter_it_" + UUID.randomUUID().toString().replace("-", "");
        // The cause: the database refuses this one event (as it would a value it cannot store).
        sql("ALTER TABLE audit.audit_entry ADD CONSTRAINT " + constraint + " CHECK (subject IS DISTINCT FROM '"
                + deploymentId + "') NOT VALID");
        Map<String, Object> listed;
        try {
            kafka.send(event);
            listed = awaitListed(event.id());
        } finally {
            sql("ALTER TABLE audit.audit_entry DROP CONSTRAINT " + constraint); // the cause fixed
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> record = (Map<String, Object>) listed.get("record");
        assertThat(record).containsEntry("topic", DLQ).containsEntry("originalTopic", Topics.DEPLOYMENT_STARTED)
                .containsEntry("eventType", "dev.rollwatch.deployment.started.v1")
                .containsEntry("eventSource", "/rollwatch/deploy-service").containsEntry("subject", deploymentId)
                .containsEntry("key", deploymentId).containsEntry("cloudEvent", true).doesNotContainKey("value");
        assertThat((String) record.get("reason")).isNotBlank();
        assertThat(listed.get("redrivenBy")).isNull();
        int partition = (Integer) record.get("partition");
        long offset = ((Number) record.get("offset")).longValue();
        assertThat(given().when().get("/api/v1/audit/events?deploymentId=" + deploymentId).then().statusCode(200)
                .extract().jsonPath().getList("entries")).as("not in the log while the cause lasted").isEmpty();

        JsonPath topics = given().header("Authorization", OPERATOR).when().get("/api/v1/dead-letters")
                .then().statusCode(200).extract().jsonPath();
        assertThat(topics.getLong("find { it.topic == '" + DLQ + "' }.records")).isPositive();
        assertThat(topics.getString("find { it.topic == '" + DLQ + "' }.redrivesTo"))
                .isEqualTo(Topics.DEPLOYMENT_STARTED);
        assertThat(topics.getString("find { it.topic == 'audit-replay.dlq' }.redrivesTo")).isNull();

        String redrive = "/api/v1/dead-letters/" + DLQ + "/" + partition + "/" + offset + "/redrive";
        JsonPath done = given().header("Authorization", OPERATOR).when().post(redrive).then().statusCode(200)
                .body("topic", equalTo(Topics.DEPLOYMENT_STARTED))
                .body("eventId", equalTo(event.id()))
                .body("redrivenBy", equalTo("olga-operator"))
                .extract().jsonPath();

        // Consumed from its topic: the event is now in the log, once.
        JsonPath entries = await().atMost(WAIT).until(() -> given().when()
                .get("/api/v1/audit/events?deploymentId=" + deploymentId).then().statusCode(200).extract()
                .jsonPath(), p -> p.getList("entries").size() == 1);
        assertThat(entries.getString("entries[0].id")).isEqualTo(event.id());
        assertThat(entries.getString("entries[0].type")).isEqualTo("dev.rollwatch.deployment.started.v1");

        // Who re-drove what is in the hash chain, about the original event.
        JsonPath audit = given().queryParam("type", DeadLetterService.REDRIVEN_TYPE).queryParam("deploymentId",
                event.id()).when().get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath();
        assertThat(audit.getList("entries")).hasSize(1);
        assertThat(audit.getLong("entries[0].position")).isEqualTo(done.getLong("auditPosition"));
        assertThat(audit.getString("entries[0].source")).isEqualTo("/rollwatch/audit-service");
        assertThat(audit.getString("entries[0].event.data.redrivenBy")).isEqualTo("olga-operator");
        assertThat(audit.getString("entries[0].event.data.dlqTopic")).isEqualTo(DLQ);
        assertThat(audit.getInt("entries[0].event.data.dlqPartition")).isEqualTo(partition);
        assertThat(audit.getLong("entries[0].event.data.dlqOffset")).isEqualTo(offset);
        assertThat(audit.getString("entries[0].event.data.originalTopic")).isEqualTo(Topics.DEPLOYMENT_STARTED);
        assertThat(audit.getString("entries[0].event.data.reason")).isEqualTo(record.get("reason"));
        assertThat(audit.getString("entries[0].event.data.service")).isEqualTo("checkout");

        given().when().get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));

        // Once only.
        given().header("Authorization", OPERATOR).when().post(redrive).then().statusCode(409)
                .contentType(containsString("application/problem+json"))
                .body("type", equalTo("https://rollwatch.dev/problems/already-redriven"))
                .body("redrivenBy", equalTo("olga-operator"));
        JsonPath page = given().header("Authorization", OPERATOR).queryParam("from", partition + ":" + offset)
                .queryParam("limit", 1).when().get("/api/v1/dead-letters/" + DLQ).then().statusCode(200)
                .extract().jsonPath();
        assertThat(page.getString("records[0].redrivenBy")).isEqualTo("olga-operator");
        assertThat(given().queryParam("type", DeadLetterService.REDRIVEN_TYPE).queryParam("deploymentId",
                event.id()).when().get("/api/v1/audit/events").then().extract().jsonPath().getList("entries"))
                .hasSize(1);
    }

    @Test
    void onlyAContractTopicsDlqCanBeRedrivenAndOnlyToItsTopic() {
        given().header("Authorization", OPERATOR).when()
                .post("/api/v1/dead-letters/" + Topics.DEPLOYMENT_STARTED + "/0/0/redrive").then().statusCode(400)
                .body("type", equalTo("https://rollwatch.dev/problems/not-redrivable"));
        given().header("Authorization", OPERATOR).when()
                .post("/api/v1/dead-letters/audit-replay.dlq/0/0/redrive").then().statusCode(400)
                .body("type", equalTo("https://rollwatch.dev/problems/not-redrivable"));
        given().header("Authorization", OPERATOR).when()
                .post("/api/v1/dead-letters/metric-samples.dlq/0/0/redrive").then().statusCode(400);
        given().header("Authorization", OPERATOR).when().get("/api/v1/dead-letters/deployment-started")
                .then().statusCode(404).body("type", equalTo("https://rollwatch.dev/problems/not-a-dead-letter-topic"));
        given().header("Authorization", OPERATOR).when()
                .post("/api/v1/dead-letters/" + DLQ + "/0/999999999/redrive").then().statusCode(404)
                .body("type", equalTo("https://rollwatch.dev/problems/dead-letter-not-found"));
        given().header("Authorization", OPERATOR).queryParam("from", "x").when().get("/api/v1/dead-letters/" + DLQ)
                .then().statusCode(400).body("type", equalTo("https://rollwatch.dev/problems/invalid-cursor"));
        given().header("Authorization", OPERATOR).queryParam("limit", 201).when()
                .get("/api/v1/dead-letters/" + DLQ).then().statusCode(400);
    }

    @Test
    void deployersAuditorsAndScopedOperatorsAreRefused() {
        String redrive = "/api/v1/dead-letters/" + DLQ + "/0/0/redrive";
        for (String role : List.of("deployer", "auditor", "agent")) {
            String token = TestTokens.builder().subject("someone").roles(role).services("*").bearer();
            given().header("Authorization", token).when().get("/api/v1/dead-letters").then().statusCode(403);
            given().header("Authorization", token).when().get("/api/v1/dead-letters/" + DLQ).then().statusCode(403);
            given().header("Authorization", token).when().post(redrive).then().statusCode(403);
        }
        String admin = TestTokens.builder().subject("ada-admin").roles("admin").bearer();
        given().header("Authorization", admin).when().get("/api/v1/dead-letters").then().statusCode(200);
        given().header("Authorization", admin).when().post(redrive).then().statusCode(403);
        String scoped = TestTokens.builder().subject("sam").roles("operator").services("checkout").bearer();
        given().header("Authorization", scoped).when().get("/api/v1/dead-letters").then().statusCode(403)
                .body("type", equalTo("https://rollwatch.dev/problems/forbidden-service"));
        given().header("Authorization", scoped).when().post(redrive).then().statusCode(403)
                .body("type", equalTo("https://rollwatch.dev/problems/forbidden-service"));
        given().header("Authorization", "Bearer nope").when().get("/api/v1/dead-letters").then().statusCode(401);
    }
}
