package dev.rollwatch.audit;

import dev.rollwatch.events.ApprovalGranted;
import dev.rollwatch.events.ApprovalRequested;
import dev.rollwatch.events.BakeCheckpoint;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.NotificationFailed;
import dev.rollwatch.events.Operator;
import dev.rollwatch.events.RollbackDecided;
import dev.rollwatch.events.RollbackVerified;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Topics;
import dev.rollwatch.events.Verdict;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static dev.rollwatch.audit.AuditTestSupport.WAIT;
import static dev.rollwatch.audit.AuditTestSupport.awaitEntries;
import static dev.rollwatch.audit.AuditTestSupport.entries;
import static dev.rollwatch.audit.AuditTestSupport.marker;
import static dev.rollwatch.audit.AuditTestSupport.sendInOrder;
import static dev.rollwatch.audit.AuditTestSupport.superuser;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class AuditIngestIT {

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void everyEventOfARollbackFlowIsAppendedOnceInOrderWithItsExactBytesAndAValidChain() {
        RollbackFlow flow = new RollbackFlow();
        List<Envelope<? extends EventData>> events = flow.events();
        sendInOrder(kafka, events);

        JsonPath page = entries(flow.deploymentId);
        assertThat(page.getList("entries.id", String.class))
                .containsExactlyElementsOf(events.stream().map(Envelope::id).toList());
        assertThat(page.getList("entries.type", String.class))
                .containsExactlyElementsOf(events.stream().map(e -> e.type().type()).toList());
        assertThat(page.getList("entries.topic", String.class))
                .containsExactlyElementsOf(events.stream().map(Envelope::topic).toList());
        List<Long> positions = page.getList("entries.position", Long.class);
        assertThat(positions).isSorted().doesNotHaveDuplicates();
        assertThat(page.getString("entries[4].causationId")).isEqualTo(flow.breach.id());
        assertThat(page.getString("entries[4].correlationId")).isEqualTo(flow.deploymentId);
        assertThat(page.getString("entries[4].event.data.policyRule")).isEqualTo("p1-immediate");
        assertThat(page.getString("entries[3].subject")).isEqualTo(flow.deploymentId);
        assertThat(Instant.parse(page.getString("entries[3].time"))).isEqualTo(flow.breach.time());
        assertThat(page.getString("entries[0].entryHash")).hasSize(64);
        assertThat(page.getString("entries[0].recordedAt")).isNotBlank();
        assertThat(page.getInt("entries[0].offset")).isGreaterThanOrEqualTo(0);
        assertThat(page.getObject("nextAfter", Long.class)).isNull();

        for (int i = 0; i < events.size(); i++) {
            byte[] stored = given().when().get("/api/v1/audit/events/" + positions.get(i) + "/raw")
                    .then().statusCode(200).contentType(EventCodec.CONTENT_TYPE).extract().asByteArray();
            assertThat(stored).as("exact bytes of %s", events.get(i).type()).isEqualTo(EventCodec.encode(events.get(i)));
        }

        given().when().get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));
    }

    /**
     * The topics of issue 15 (a rollback's verification, the bake window's checkpoints, a deployment waiting for a
     * person) are appended like every other: in order, with their exact bytes, on their own topic, and a P0 breach
     * and a CONDITIONAL decision are logged as sent.
     */
    @Test
    void theRunbookEventsAreAppendedWithTheirExactBytesOnTheirOwnTopics() {
        RollbackFlow flow = new RollbackFlow();
        Instant t = flow.t0;
        Envelope<ApprovalRequested> waiting = Envelope.of(RollbackFlow.DEPLOY, flow.deploymentId,
                new ApprovalRequested("checkout", "production", "2.4.0", 1, "go/no-go gate: step 1 waits",
                        "operator", t)).at(t.plusMillis(1));
        Envelope<ThresholdBreached> down = Envelope.of(RollbackFlow.MONITOR, flow.deploymentId,
                new ThresholdBreached("checkout", "production", "2.4.0", "availability", "up", null, List.of(60.0),
                        60, Operator.GTE, Duration.ofMinutes(1), Severity.P0, 12, 12, t.plusSeconds(60), 1, null,
                        null, null, ThresholdBreached.KIND_UNAVAILABLE, ThresholdBreached.PHASE_ROLLOUT, null, t,
                        t)).at(t.plusMillis(2));
        Envelope<RollbackDecided> conditional = Envelope.of(RollbackFlow.ROLLBACK, flow.deploymentId,
                new RollbackDecided("checkout", "production", UUID.randomUUID().toString(),
                        RollbackDecided.CONDITIONAL, "error-rate-1-5-after-1h", "an operator decides", Severity.P1,
                        "error-rate", 1L, 1, down.id(), null, t.plusSeconds(900), t.plusSeconds(900), "operator",
                        "ROLLBACK", "runbook@1", "001 conditional: error rate 1-5 % after 1 hour"))
                .causedBy(down).at(t.plusMillis(3));
        Envelope<RollbackVerified> verified = Envelope.of(RollbackFlow.MONITOR, flow.deploymentId,
                new RollbackVerified("checkout", "production", "2.3.0", RollbackVerified.UNVERIFIED,
                        Duration.ofMinutes(30), t, t.plusSeconds(120), "error-rate", "still failing", List.of()))
                .at(t.plusMillis(4));
        Envelope<BakeCheckpoint> checkpoint = Envelope.of(RollbackFlow.MONITOR, flow.deploymentId,
                new BakeCheckpoint("checkout", "production", "2.4.0", Duration.ofMinutes(15), 1, 3,
                        Duration.ofHours(1), t, Verdict.SUCCESSFUL, false, List.of())).at(t.plusMillis(5));
        List<Envelope<? extends EventData>> events = List.of(waiting, down, conditional, verified, checkpoint);
        sendInOrder(kafka, events);

        JsonPath page = entries(flow.deploymentId);
        assertThat(page.getList("entries.id", String.class))
                .containsExactlyElementsOf(events.stream().map(Envelope::id).toList());
        assertThat(page.getList("entries.topic", String.class)).containsExactly(Topics.APPROVAL_REQUESTS,
                Topics.THRESHOLD_BREACHED, Topics.ROLLBACK_DECISIONS, Topics.ROLLBACK_VERIFICATIONS,
                Topics.BAKE_CHECKPOINTS);
        assertThat(page.getString("entries[1].event.data.severity")).isEqualTo("P0");
        assertThat(page.getString("entries[1].event.data.kind")).isEqualTo("unavailable");
        assertThat(page.getString("entries[2].event.data.action")).isEqualTo("CONDITIONAL");
        assertThat(page.getString("entries[3].event.data.outcome")).isEqualTo("UNVERIFIED");
        List<Long> positions = page.getList("entries.position", Long.class);
        for (int i = 0; i < events.size(); i++) {
            byte[] stored = given().when().get("/api/v1/audit/events/" + positions.get(i) + "/raw")
                    .then().statusCode(200).extract().asByteArray();
            assertThat(stored).as("exact bytes of %s", events.get(i).type()).isEqualTo(EventCodec.encode(events.get(i)));
        }
        given().when().get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));
    }

    /**
     * One channel reads every contract topic (issue 19, 2): an event on each topic of {@link Topics#ALL} (a type this
     * build does not know, from the topic's producer) is appended, on that topic. The consumer group is still
     * {@code audit-service} and commits each topic's offsets, as the channels of one topic each did: an installation
     * upgraded from them resumes every topic where it was.
     */
    @Test
    void anEventOnEveryContractTopicIsAppendedAndTheServicesGroupCommitsPastIt() {
        String subject = "every-topic-" + UUID.randomUUID();
        for (String topic : Topics.ALL) {
            kafka.send(topic, subject, marker(topic, subject));
        }

        JsonPath page = awaitEntries(subject, Topics.ALL.size());
        assertThat(page.getList("entries.topic", String.class)).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        Map<TopicPartition, Long> appended = new LinkedHashMap<>();
        for (int i = 0; i < Topics.ALL.size(); i++) {
            appended.put(new TopicPartition(page.getString("entries[" + i + "].topic"),
                    page.getInt("entries[" + i + "].partition")), page.getLong("entries[" + i + "].offset"));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrapServers()))) {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("audit-service")
                        .partitionsToOffsetAndMetadata().get();
                appended.forEach((partition, offset) -> {
                    OffsetAndMetadata position = committed.get(partition);
                    assertThat(position).as("group audit-service's offset of %s", partition).isNotNull();
                    assertThat(position.offset()).as("group audit-service's offset of %s", partition)
                            .isGreaterThan(offset);
                });
            });
        }
    }

    /**
     * The last resort of the one channel (issue 19, 2): a batch that fails as a whole for something other than its
     * data or a database away (here a trigger raising an error of no data class, as a bug would) is nacked, and each
     * of its records goes to its own topic's DLQ, where the operator's tool lists and re-drives it, with SmallRye's
     * dead-letter headers. Once the cause is gone the same events are appended.
     */
    @Test
    void aBatchThatFailsAsAWholeGoesRecordByRecordToEachTopicsOwnDeadLetterQueue() throws SQLException {
        String subject = "last-resort-" + UUID.randomUUID();
        Map<String, byte[]> events = new LinkedHashMap<>();
        for (String topic : List.of(Topics.STEP_STARTED, Topics.POLICY_CHANGES)) {
            events.put(topic, marker(topic, subject));
        }
        String fail = "test_fail_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            s.execute("CREATE FUNCTION audit." + fail + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "IF NEW.subject = '" + subject + "' THEN RAISE EXCEPTION 'no data class' USING ERRCODE = "
                    + "'P0001'; END IF; RETURN NEW; END $$");
            s.execute("CREATE TRIGGER " + fail + " BEFORE INSERT ON audit.audit_entry FOR EACH ROW EXECUTE FUNCTION "
                    + "audit." + fail + "()");
            try {
                events.forEach((topic, value) -> kafka.send(topic, subject, value));
                events.forEach((topic, value) -> {
                    List<ConsumerRecord<String, byte[]>> dead = kafka.awaitRecords(Topics.dlq(topic),
                            r -> subject.equals(r.key()), WAIT);
                    ConsumerRecord<String, byte[]> record = dead.get(dead.size() - 1);
                    assertThat(record.value()).isEqualTo(value);
                    assertThat(KafkaTestClient.header(record, "dead-letter-topic")).isEqualTo(topic);
                    assertThat(KafkaTestClient.header(record, "dead-letter-reason")).isNotBlank();
                    assertThat(KafkaTestClient.header(record, "dead-letter-exception-class-name"))
                            .as("set aside by the channel's failure strategy, not by the ingest").isNotBlank();
                });
            } finally {
                s.execute("DROP TRIGGER " + fail + " ON audit.audit_entry");
                s.execute("DROP FUNCTION audit." + fail + "()");
            }
        }
        assertThat(entries(subject).getList("entries")).isEmpty();

        events.forEach((topic, value) -> kafka.send(topic, subject, value)); // as a re-drive would, the cause fixed
        assertThat(awaitEntries(subject, events.size()).getList("entries.topic", String.class))
                .containsExactlyInAnyOrderElementsOf(events.keySet());
    }

    @Test
    void poisonOnANewTopicGoesToItsOwnDeadLetterQueue() {
        String key = "poison-" + UUID.randomUUID();
        kafka.send(Topics.BAKE_CHECKPOINTS, key, "{not an event".getBytes(StandardCharsets.UTF_8));

        List<ConsumerRecord<String, byte[]>> dead = kafka.awaitRecords(Topics.dlq(Topics.BAKE_CHECKPOINTS),
                r -> key.equals(r.key()), WAIT);
        assertThat(KafkaTestClient.header(dead.get(dead.size() - 1), "dead-letter-reason"))
                .contains("is not a CloudEvent");
        assertThat(KafkaTestClient.header(dead.get(dead.size() - 1), "dead-letter-topic"))
                .isEqualTo(Topics.BAKE_CHECKPOINTS);
        // The consumer's own poll timing stays in the service: the dead letter has the producer's headers and the reason.
        assertThat(dead.get(dead.size() - 1).headers().lastHeader(
                dev.rollwatch.platform.messaging.ConsumerTiming.POLLED_AT)).isNull();
    }

    @Test
    void theSameEventDeliveredAgainAppendsNothing() {
        String deploymentId = UUID.randomUUID().toString();
        Envelope<ApprovalGranted> approval = Envelope.of(RollbackFlow.DEPLOY, deploymentId,
                new ApprovalGranted(2, "bob", Instant.now(), "looks good"));
        kafka.send(approval);
        kafka.send(approval);
        awaitEntries(deploymentId, 1);
        kafka.send(approval); // a re-publish by an outbox sweep, long after the first was recorded

        // A later event on the same topic and key (so the same partition): once it is in, the copies were handled.
        Envelope<ApprovalGranted> marker = Envelope.of(RollbackFlow.DEPLOY, deploymentId,
                new ApprovalGranted(3, "bob", Instant.now(), "go"));
        kafka.send(marker);
        JsonPath page = awaitEntries(deploymentId, 2);
        assertThat(page.getList("entries.id", String.class)).containsExactly(approval.id(), marker.id());
    }

    @Test
    void aValidCloudEventOfATypeThisBuildDoesNotKnowIsStillAppended() {
        String deploymentId = UUID.randomUUID().toString();
        String id = UUID.randomUUID().toString();
        byte[] newer = ("{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/rollwatch/deploy-service\","
                + "\"type\":\"dev.rollwatch.deployment.paused.v1\",\"subject\":\"" + deploymentId + "\","
                + "\"time\":\"2026-01-31T12:00:00.123456Z\",\"data\":{\"why\":\"maintenance\",\"ratio\":0.10}}")
                .getBytes(StandardCharsets.UTF_8);
        kafka.send(Topics.DEPLOYMENT_COMMANDS, deploymentId, newer);

        JsonPath page = awaitEntries(deploymentId, 1);
        assertThat(page.getString("entries[0].type")).isEqualTo("dev.rollwatch.deployment.paused.v1");
        assertThat(page.getString("entries[0].event.data.why")).isEqualTo("maintenance");
        byte[] stored = given().when().get("/api/v1/audit/events/" + page.getLong("entries[0].position") + "/raw")
                .then().statusCode(200).extract().asByteArray();
        assertThat(stored).isEqualTo(newer);
    }

    @Test
    void poisonGoesToTheTopicsDeadLetterQueueWithTheReasonAndIngestGoesOn() {
        for (Map.Entry<String, String> poison : Map.of(
                "{not an event", "not JSON",
                "{\"specversion\":\"1.0\",\"source\":\"/x\",\"type\":\"t\"}", "'id' is required").entrySet()) {
            String key = "poison-" + UUID.randomUUID();
            kafka.send(Topics.NOTIFICATION_OUTCOMES, key, poison.getKey().getBytes(StandardCharsets.UTF_8));
            List<ConsumerRecord<String, byte[]>> dead = kafka.awaitRecords(Topics.dlq(Topics.NOTIFICATION_OUTCOMES),
                    r -> key.equals(r.key()), WAIT);
            ConsumerRecord<String, byte[]> record = dead.get(dead.size() - 1);
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(poison.getKey());
            assertThat(KafkaTestClient.header(record, "dead-letter-reason"))
                    .contains("is not a CloudEvent").contains(poison.getValue());
        }

        // Poison between two valid events of one partition (one poll, one batch): only the poison is set aside.
        RollbackFlow flow = new RollbackFlow();
        NotificationFailed failed = new NotificationFailed("oncall-mail", "email", flow.requested.id(),
                flow.requested.type().type(), 3, "550", "mailbox unavailable");
        Envelope<NotificationFailed> second = Envelope.of(RollbackFlow.NOTIFIER, flow.deploymentId, failed);
        kafka.send(flow.notified);
        kafka.send(Topics.NOTIFICATION_OUTCOMES, flow.deploymentId, "[]".getBytes(StandardCharsets.UTF_8));
        kafka.send(second);
        assertThat(awaitEntries(flow.deploymentId, 2).getList("entries.id", String.class))
                .containsExactly(flow.notified.id(), second.id());
        List<ConsumerRecord<String, byte[]>> dead = kafka.awaitRecords(Topics.dlq(Topics.NOTIFICATION_OUTCOMES),
                r -> flow.deploymentId.equals(r.key()), WAIT);
        assertThat(new String(dead.get(dead.size() - 1).value(), StandardCharsets.UTF_8)).isEqualTo("[]");
        assertThat(KafkaTestClient.header(dead.get(dead.size() - 1), "dead-letter-reason"))
                .contains("not a JSON object");
    }

    /**
     * Provenance (issue 17, 3d): a principal that may write one topic (the notifier, on notification-outcomes) forges
     * the monitor's next breach with the id the monitor will use. The forgery goes to the DLQ with the reason, so
     * the real breach, arriving later on its own topic, is appended and not dropped as a "duplicate"; an event on
     * its own topic but from another source is refused too.
     */
    @Test
    void anEventOnATopicItsSourceMayNotWriteGoesToTheDlqAndCannotPreemptTheRealOne() {
        RollbackFlow flow = new RollbackFlow();
        byte[] real = EventCodec.encode(flow.breach);
        byte[] forged = new String(real, StandardCharsets.UTF_8).replace("error-rate", "forged-check")
                .getBytes(StandardCharsets.UTF_8);
        kafka.send(Topics.NOTIFICATION_OUTCOMES, flow.deploymentId, forged);
        List<ConsumerRecord<String, byte[]>> dead = kafka.awaitRecords(Topics.dlq(Topics.NOTIFICATION_OUTCOMES),
                r -> flow.deploymentId.equals(r.key()), WAIT);
        assertThat(KafkaTestClient.header(dead.get(dead.size() - 1), "dead-letter-reason"))
                .contains("breaks the topic's provenance")
                .contains("type dev.rollwatch.threshold.breached.v1 belongs on topic threshold-breached");

        Envelope<NotificationFailed> notifierAsMonitor = Envelope.of(RollbackFlow.NOTIFIER, flow.deploymentId,
                new NotificationFailed("oncall-mail", "email", flow.breach.id(), flow.breach.type().type(), 1, "550",
                        "x"));
        byte[] wrongSource = EventCodec.encode(notifierAsMonitor);
        kafka.send(Topics.THRESHOLD_BREACHED, flow.deploymentId, wrongSource);
        List<ConsumerRecord<String, byte[]>> refused = kafka.awaitRecords(Topics.dlq(Topics.THRESHOLD_BREACHED),
                r -> flow.deploymentId.equals(r.key()), WAIT);
        assertThat(KafkaTestClient.header(refused.get(refused.size() - 1), "dead-letter-reason"))
                .contains("belongs on topic notification-outcomes, not threshold-breached");

        kafka.send(Topics.THRESHOLD_BREACHED, flow.deploymentId, real);
        JsonPath page = awaitEntries(flow.deploymentId, 1);
        assertThat(page.getList("entries.id", String.class)).containsExactly(flow.breach.id());
        assertThat(page.getString("entries[0].topic")).isEqualTo(Topics.THRESHOLD_BREACHED);
        byte[] stored = given().when().get("/api/v1/audit/events/" + page.getLong("entries[0].position") + "/raw")
                .then().statusCode(200).extract().asByteArray();
        assertThat(stored).isEqualTo(real);
    }

    @Test
    void anUnknownTypeIsAcceptedOnlyFromTheTopicsProducer() {
        String deploymentId = UUID.randomUUID().toString();
        String newerFromAnother = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID()
                + "\",\"source\":\"/rollwatch/notifier-service\",\"type\":\"dev.rollwatch.deployment.paused.v1\","
                + "\"subject\":\"" + deploymentId + "\",\"data\":{}}";
        kafka.send(Topics.DEPLOYMENT_COMMANDS, deploymentId, newerFromAnother.getBytes(StandardCharsets.UTF_8));
        List<ConsumerRecord<String, byte[]>> dead = kafka.awaitRecords(Topics.dlq(Topics.DEPLOYMENT_COMMANDS),
                r -> deploymentId.equals(r.key()), WAIT);
        assertThat(KafkaTestClient.header(dead.get(dead.size() - 1), "dead-letter-reason"))
                .contains("source /rollwatch/notifier-service may not write topic deployment-commands "
                        + "(its producer is /rollwatch/deploy-service)");
        assertThat(entries(deploymentId).getList("entries")).isEmpty();
    }

    @Test
    void theLogIsAppendOnlyInTheDatabaseItself() throws SQLException {
        RollbackFlow flow = new RollbackFlow();
        kafka.send(flow.started);
        long position = awaitEntries(flow.deploymentId, 1).getLong("entries[0].position");

        try (Connection c = superuser(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate(
                    "UPDATE audit.audit_entry SET event_type = 'forged' WHERE position = " + position))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only: UPDATE refused");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM audit.audit_entry WHERE position = " + position))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only: DELETE refused");
            assertThatThrownBy(() -> s.executeUpdate("TRUNCATE audit.audit_entry"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only: TRUNCATE refused");
        }
        JsonPath page = entries(flow.deploymentId);
        assertThat(page.getString("entries[0].type")).isEqualTo(flow.started.type().type());
    }

    @Test
    void positionsAreGapFreeAcrossTheWholeLog() throws SQLException {
        RollbackFlow flow = new RollbackFlow();
        for (Envelope<?> e : flow.events()) {
            kafka.send(e); // all at once, on eight topics
        }
        awaitEntries(flow.deploymentId, flow.events().size());
        try (Connection c = superuser(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), min(position), max(position), "
                        + "(SELECT position FROM audit.audit_head) FROM audit.audit_entry")) {
            rs.next();
            assertThat(rs.getLong(2)).isEqualTo(1);
            assertThat(rs.getLong(3)).isEqualTo(rs.getLong(1));
            assertThat(rs.getLong(4)).isEqualTo(rs.getLong(1));
        }
    }

    @Test
    void badQueriesGetProblemDetails() {
        given().queryParam("limit", 0).when().get("/api/v1/audit/events")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/invalid-limit"));
        given().queryParam("from", "yesterday").when().get("/api/v1/audit/events")
                .then().statusCode(400).body("type", equalTo("https://rollwatch.dev/problems/invalid-time"));
        given().queryParam("from", 5).queryParam("to", 2).when().get("/api/v1/audit/verify")
                .then().statusCode(400).body("type", equalTo("https://rollwatch.dev/problems/invalid-range"));
        given().when().get("/api/v1/audit/events/999999999/raw")
                .then().statusCode(404).contentType("application/problem+json");
    }
}
