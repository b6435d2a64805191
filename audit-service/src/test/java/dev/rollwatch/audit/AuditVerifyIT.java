package dev.rollwatch.audit;

import dev.rollwatch.audit.domain.ChainHash;
import dev.rollwatch.audit.service.Checkpoints;
import dev.rollwatch.events.Envelope;
import jakarta.inject.Inject;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static dev.rollwatch.audit.AuditTestSupport.sendInOrder;
import static dev.rollwatch.audit.AuditTestSupport.superuser;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.awaitility.Awaitility.await;

/**
 * Tampering as a database superuser would do it (triggers disabled, rows changed directly in SQL) is found by
 * verify at exactly the position touched. Each test repairs what it broke, since the log is shared.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class AuditVerifyIT {

    private static KafkaTestClient kafka;

    @Inject
    Checkpoints checkpoints;
    private RollbackFlow flow;
    private List<Long> positions;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private void appendAFlow() {
        flow = new RollbackFlow();
        sendInOrder(kafka, flow.events());
        positions = AuditTestSupport.entries(flow.deploymentId).getList("entries.position", Long.class);
    }

    @AfterEach
    void theRepairedLogVerifiesAgain() {
        given().when().get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));
    }

    private static JsonPath verify(String query) {
        return given().when().get("/api/v1/audit/verify" + query).then().statusCode(200).extract().jsonPath();
    }

    private static void asSuperuserWithoutTriggers(SqlWork work) throws SQLException {
        try (Connection c = superuser()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE audit.audit_entry DISABLE TRIGGER USER");
                s.execute("ALTER TABLE audit.audit_checkpoint DISABLE TRIGGER USER");
                work.run(c);
                s.execute("ALTER TABLE audit.audit_checkpoint ENABLE TRIGGER USER");
                s.execute("ALTER TABLE audit.audit_entry ENABLE TRIGGER USER");
            }
            c.commit();
        }
    }

    interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    @Test
    void anUntouchedLogVerifiesAndReportsItsHead() {
        appendAFlow();
        JsonPath report = verify("");
        assertThat(report.getBoolean("valid")).isTrue();
        long head = report.getLong("to");
        assertThat(report.getLong("entries")).isEqualTo(head);
        assertThat(head).isGreaterThanOrEqualTo(positions.get(positions.size() - 1));
        String headHash = report.getString("headHash");
        String lastHash = given().queryParam("after", head - 1).queryParam("limit", 1)
                .when().get("/api/v1/audit/events").then().extract().path("entries[0].entryHash");
        assertThat(headHash).isEqualTo(lastHash);

        JsonPath range = verify("?from=" + positions.get(2) + "&to=" + positions.get(5));
        assertThat(range.getBoolean("valid")).isTrue();
        assertThat(range.getLong("entries")).isEqualTo(positions.get(5) - positions.get(2) + 1);
    }

    @Test
    void oneChangedByteIsReportedAtExactlyThatPosition() throws SQLException {
        appendAFlow();
        long tampered = positions.get(4);
        byte[] original = given().when().get("/api/v1/audit/events/" + tampered + "/raw").then().extract()
                .asByteArray();
        byte[] forged = new String(original, StandardCharsets.UTF_8).replace("p1-immediate", "p3-notifyonly")
                .getBytes(StandardCharsets.UTF_8);
        setPayload(tampered, forged);
        try {
            JsonPath report = verify("");
            assertThat(report.getBoolean("valid")).isFalse();
            assertThat(report.getLong("firstBadPosition")).isEqualTo(tampered);
            assertThat(report.getString("reason")).isEqualTo("entry_hash does not match the stored bytes");
            assertThat(verify("?to=" + (tampered - 1)).getBoolean("valid")).isTrue();
            assertThat(verify("?from=" + (tampered + 1)).getBoolean("valid")).isTrue();
        } finally {
            setPayload(tampered, original);
        }
    }

    /**
     * Issue 17, 3c: the columns queries select by are covered. An insider who moves the rollback request to another
     * subject hides it from the deployment's timeline and filters; verify names the entry and the column. The topic
     * (not in the stored bytes) is covered by the version-2 chain hash.
     */
    @Test
    void anEditedSubjectOrTypeOrTopicIsReportedAtItsPosition() throws SQLException {
        appendAFlow();
        long requested = positions.get(4);
        assertThat(AuditTestSupport.entries(flow.deploymentId).getString("entries[4].type"))
                .isEqualTo("dev.rollwatch.rollback.requested.v1");
        for (String[] edit : new String[][] {
                {"subject", "'someone-else'", "column subject differs from the stored bytes"},
                {"event_type", "'dev.rollwatch.step.started.v1'", "column event_type differs from the stored bytes"},
                {"source", "'/rollwatch/deploy-service'", "column source differs from the stored bytes"},
                {"topic", "'step-started'", "entry_hash does not match the stored bytes"},
                {"recorded_at", "recorded_at - interval '1 hour'", "entry_hash does not match the stored bytes"}}) {
            String original = column(requested, edit[0]);
            setColumn(requested, edit[0], edit[1]);
            try {
                if (edit[0].equals("subject")) {
                    assertThat(AuditTestSupport.entries(flow.deploymentId).getList("entries.position", Long.class))
                            .as("what the edit hides from a query").doesNotContain(requested);
                }
                JsonPath report = verify("");
                assertThat(report.getBoolean("valid")).as(edit[0]).isFalse();
                assertThat(report.getLong("firstBadPosition")).as(edit[0]).isEqualTo(requested);
                assertThat(report.getString("reason")).as(edit[0]).startsWith(edit[2]);
                assertThat(verify("?from=" + requested + "&to=" + requested).getBoolean("valid")).isFalse();
            } finally {
                setColumn(requested, edit[0], original == null ? "NULL" : "'" + original + "'::"
                        + (edit[0].equals("recorded_at") ? "timestamptz" : "varchar"));
            }
        }
    }

    private static String column(long position, String column) throws SQLException {
        try (Connection c = superuser(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT " + column + "::text FROM audit.audit_entry WHERE position = " + position)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static void setColumn(long position, String column, String sqlValue) throws SQLException {
        asSuperuserWithoutTriggers(c -> {
            try (Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("UPDATE audit.audit_entry SET " + column + " = " + sqlValue
                        + " WHERE position = " + position)).isEqualTo(1);
            }
        });
    }

    @Test
    void aDeletedRowIsReportedAtItsPosition() throws SQLException {
        appendAFlow();
        long deleted = positions.get(3);
        String saved = "public.saved_audit_entry_" + deleted;
        asSuperuserWithoutTriggers(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + saved + " AS SELECT * FROM audit.audit_entry WHERE position = "
                        + deleted);
                s.execute("DELETE FROM audit.audit_entry WHERE position = " + deleted);
            }
        });
        try {
            JsonPath report = verify("");
            assertThat(report.getBoolean("valid")).isFalse();
            assertThat(report.getLong("firstBadPosition")).isEqualTo(deleted);
            assertThat(report.getString("reason")).startsWith("entry missing");
            assertThat(verify("?to=" + (deleted - 1)).getBoolean("valid")).isTrue();
        } finally {
            try (Connection c = superuser(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO audit.audit_entry SELECT * FROM " + saved);
                s.execute("DROP TABLE " + saved);
            }
        }
    }

    @Test
    void aRowInsertedBehindTheServicesBackIsReported() throws SQLException {
        appendAFlow();
        long head = verify("").getLong("to");
        long forgedPosition = head + 1;
        byte[] payload = "{\"specversion\":\"1.0\",\"id\":\"forged\",\"source\":\"/x\",\"type\":\"t\"}"
                .getBytes(StandardCharsets.UTF_8);
        String headHash = verify("").getString("headHash");
        byte[] prev = HexFormat.of().parseHex(headHash);
        try (Connection c = superuser(); PreparedStatement ps = c.prepareStatement("INSERT INTO audit.audit_entry "
                + "(position, source, event_id, event_type, topic, kafka_partition, kafka_offset, payload, prev_hash,"
                + " entry_hash, recorded_at) VALUES (?, '/x', 'forged', 't', 'forged', 0, 0, ?, ?, ?, now())")) {
            ps.setLong(1, forgedPosition);
            ps.setBytes(2, payload);
            ps.setBytes(3, prev);
            ps.setBytes(4, ChainHash.entryHash(prev, forgedPosition, payload)); // even with a correct hash
            ps.executeUpdate();
        }
        try {
            JsonPath report = verify("");
            assertThat(report.getBoolean("valid")).isFalse();
            assertThat(report.getLong("firstBadPosition")).isEqualTo(forgedPosition);
            assertThat(report.getString("reason")).contains("beyond the head");
        } finally {
            asSuperuserWithoutTriggers(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("DELETE FROM audit.audit_entry WHERE position = " + forgedPosition);
                }
            });
        }
    }

    /**
     * Issue 17, 3e: an auditor keeps the signed checkpoints outside the database. The NDJSON export carries each
     * checkpoint with its key id and signature; the trusted keys endpoint names the public key by that id; the
     * signature checks offline with nothing else.
     */
    @Test
    void signedCheckpointsExportAsNdjsonAndVerifyOfflineWithTheTrustedKeyTheyName() throws Exception {
        appendAFlow();
        long head = checkpoints.checkpointNow().orElseThrow().position();
        String export = given().when().get("/api/v1/audit/checkpoints/export").then().statusCode(200)
                .contentType("application/x-ndjson").extract().asString();
        List<String> lines = export.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).isNotEmpty();
        JsonPath line = new JsonPath(lines.get(lines.size() - 1));
        assertThat(line.getLong("position")).isEqualTo(head);
        assertThat(line.getString("algorithm")).isEqualTo("Ed25519");
        JsonPath keys = given().when().get("/api/v1/audit/checkpoints/trusted-keys").then().statusCode(200)
                .extract().jsonPath();
        String publicKey = keys.getString("keys.find { it.keyId == '" + line.getString("keyId") + "' }.publicKey");
        assertThat(publicKey).as("the trusted key named by keyId %s", line.getString("keyId")).isNotNull();
        PublicKey key = KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)));
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initVerify(key);
        ed25519.update("rollwatch-audit-checkpoint-v1".getBytes(StandardCharsets.US_ASCII));
        ed25519.update(ByteBuffer.allocate(8).putLong(head).array());
        ed25519.update(HexFormat.of().parseHex(line.getString("headHash")));
        assertThat(ed25519.verify(Base64.getDecoder().decode(line.getString("signature")))).isTrue();
        assertThat(given().queryParam("after", head).when().get("/api/v1/audit/checkpoints/export").then()
                .statusCode(200).extract().asString()).isBlank();
    }

    @Test
    void aSignedCheckpointVerifiesWithThePublishedPublicKeyAndVerifyChecksIt() throws Exception {
        appendAFlow();
        long head = checkpoints.checkpointNow().orElseThrow().position();
        JsonPath cp = given().queryParam("after", head - 1).when().get("/api/v1/audit/checkpoints")
                .then().statusCode(200).extract().jsonPath();
        assertThat(cp.getLong("[0].position")).isEqualTo(head);
        String headHash = cp.getString("[0].headHash");
        assertThat(headHash).isEqualTo(verify("?to=" + head).getString("headHash"));

        JsonPath key = given().when().get("/api/v1/audit/checkpoints/public-key").then().statusCode(200)
                .extract().jsonPath();
        assertThat(key.getString("keyId")).isEqualTo(cp.getString("[0].keyId"));
        PublicKey publicKey = KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(key.getString("publicKey"))));
        byte[] message = ByteBuffer.allocate(29 + 8 + 32)
                .put("rollwatch-audit-checkpoint-v1".getBytes(StandardCharsets.US_ASCII)).putLong(head)
                .put(HexFormat.of().parseHex(headHash)).array();
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initVerify(publicKey);
        ed25519.update(message);
        assertThat(ed25519.verify(Base64.getDecoder().decode(cp.getString("[0].signature")))).isTrue();

        assertThat(verify("").getLong("checkpoints")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aRowRewrittenWithARecomputedChainAndHeadIsCaughtByTheSignedCheckpoint() throws SQLException {
        appendAFlow();
        long target = positions.get(positions.size() - 1); // the DeploymentFinished: ROLLED_BACK
        long signed = checkpoints.checkpointNow().orElseThrow().position();
        awaitCheckpointEventLogged(signed); // the checkpoint's own event comes back into the log: let it settle
        byte[] original = given().when().get("/api/v1/audit/events/" + target + "/raw").then().extract()
                .asByteArray();
        byte[] forged = new String(original, StandardCharsets.UTF_8).replace("ROLLED_BACK", "SUCCEEDED")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(forged).isNotEqualTo(original);
        rechain(target, forged);
        try {
            assertThat(verify("?from=" + (signed + 1)).getBoolean("valid"))
                    .as("the chain after the rewritten entries is consistent with them").isTrue();
            JsonPath report = verify("");
            assertThat(report.getBoolean("valid")).isFalse();
            assertThat(report.getLong("firstBadPosition")).isEqualTo(signed);
            assertThat(report.getString("reason")).isEqualTo(
                    "entry_hash differs from the signed checkpoint at this position");
        } finally {
            rechain(target, original);
        }
    }

    /**
     * Issue 17, 3a: 1,000 real entries, a checkpoint signed at the last of them ("1000"); then an insider with
     * owner rights deletes "901–1000" and moves the head back to "900". What is left is a consistent chain ending
     * at the head: only the signed checkpoint beyond the new end proves the removed entries existed.
     */
    @Test
    void aTruncatedTailIsCaughtByTheSignedCheckpointBeyondTheNewEnd() throws SQLException {
        appendFlows(125); // 1,000 events through Kafka
        long signed = checkpoints.checkpointNow().orElseThrow().position();
        awaitCheckpointEventLogged(signed); // the log has settled: nothing else is on its way in
        long end = signed - 100;
        truncateTail(end);
        try {
            JsonPath report = verify("");
            assertThat(report.getBoolean("valid")).isFalse();
            assertThat(report.getLong("to")).isEqualTo(end);
            assertThat(report.getLong("firstBadPosition")).isEqualTo(end + 1);
            assertThat(report.getString("reason")).isEqualTo("signed checkpoint beyond the end of the log: the "
                    + "checkpoint at position " + signed + " was signed over entries the log no longer has (it "
                    + "ends at " + end + ": " + (end + 1) + ".." + signed + " are missing)");
            assertThat(verify("?from=" + (end - 10)).getLong("firstBadPosition"))
                    .as("a range that ends at the head").isEqualTo(end + 1);
            assertThat(verify("?to=" + (end - 1)).getBoolean("valid"))
                    .as("a range that stops before the end does not look beyond it").isTrue();
        } finally {
            restoreTail();
        }
    }

    @Test
    void aDeletedCheckpointRowIsCaughtByItsSignedCopyInTheLog() throws SQLException {
        appendAFlow();
        long signed = checkpoints.checkpointNow().orElseThrow().position();
        long loggedAt = awaitCheckpointEventLogged(signed);
        String saved = "public.saved_audit_checkpoint_" + signed;
        asSuperuserWithoutTriggers(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + saved + " AS SELECT * FROM audit.audit_checkpoint WHERE position = "
                        + signed);
                assertThat(s.executeUpdate("DELETE FROM audit.audit_checkpoint WHERE position = " + signed))
                        .isEqualTo(1);
            }
        });
        try {
            JsonPath report = verify("");
            assertThat(report.getBoolean("valid")).isFalse();
            assertThat(report.getLong("firstBadPosition")).isEqualTo(signed);
            assertThat(report.getString("reason")).isEqualTo("checkpoint missing: the checkpoint signed at this "
                    + "position (logged as entry " + loggedAt + ") is not in audit_checkpoint");
            assertThat(verify("?from=" + loggedAt).getLong("firstBadPosition"))
                    .as("a range holding the logged copy").isEqualTo(signed);
            assertThat(verify("?to=" + (loggedAt - 1)).getBoolean("valid"))
                    .as("a range before the logged copy has nothing that names the row").isTrue();
        } finally {
            try (Connection c = superuser(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO audit.audit_checkpoint SELECT * FROM " + saved);
                s.execute("DROP TABLE " + saved);
            }
        }
    }

    /** Waits until the checkpoint's own event is back in the log; returns the position of that entry. */
    private static long awaitCheckpointEventLogged(long size) {
        JsonPath page = await().atMost(AuditTestSupport.WAIT).pollInterval(Duration.ofMillis(100)).until(() -> given()
                .queryParam("type", "dev.rollwatch.audit.checkpointed.v1").queryParam("after", size)
                .queryParam("limit", 1000).when().get("/api/v1/audit/events").then().statusCode(200).extract()
                .jsonPath(), p -> p.getList("entries.event.data.size", Long.class).contains(size));
        List<Long> sizes = page.getList("entries.event.data.size", Long.class);
        return page.getList("entries.position", Long.class).get(sizes.indexOf(size));
    }

    /** Sends {@code flows} rollout-and-rollback flows (8 events each) at once and waits until all are in the log. */
    private static void appendFlows(int flows) throws SQLException {
        List<String> subjects = new ArrayList<>();
        int events = 0;
        for (int i = 0; i < flows; i++) {
            RollbackFlow flow = new RollbackFlow();
            subjects.add(flow.deploymentId);
            for (Envelope<?> e : flow.events()) {
                kafka.send(e);
                events++;
            }
        }
        long expected = events;
        await().atMost(AuditTestSupport.WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> countAbout(subjects) == expected);
    }

    private static long countAbout(List<String> subjects) throws SQLException {
        try (Connection c = superuser(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM audit.audit_entry WHERE subject = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("varchar", subjects.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static final String SAVED_TAIL = "public.saved_audit_tail";
    private static final String SAVED_HEAD = "public.saved_audit_head";

    /**
     * What an insider with owner rights does to make entries disappear without a gap: delete every entry after
     * {@code end} and move the head back to entry {@code end} (its real hash), so the chain that is left, and the
     * head, agree. The removed rows and the old head are kept aside for {@link #restoreTail()}.
     */
    private static void truncateTail(long end) throws SQLException {
        asSuperuserWithoutTriggers(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + SAVED_TAIL + " AS SELECT * FROM audit.audit_entry WHERE position > " + end);
                s.execute("CREATE TABLE " + SAVED_HEAD + " AS SELECT * FROM audit.audit_head");
                s.execute("DELETE FROM audit.audit_entry WHERE position > " + end);
                assertThat(s.executeUpdate("UPDATE audit.audit_head SET position = e.position, head_hash = "
                        + "e.entry_hash FROM audit.audit_entry e WHERE e.position = " + end)).isEqualTo(1);
            }
        });
    }

    private static void restoreTail() throws SQLException {
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("INSERT INTO audit.audit_entry SELECT * FROM " + SAVED_TAIL);
            s.execute("UPDATE audit.audit_head h SET position = o.position, head_hash = o.head_hash FROM "
                    + SAVED_HEAD + " o");
            s.execute("DROP TABLE " + SAVED_TAIL);
            s.execute("DROP TABLE " + SAVED_HEAD);
            c.commit();
        }
    }

    /**
     * Give entry {@code from} these bytes and recompute the chain from there to the end, moving the head row along,
     * as a careful attacker with superuser rights would: the chain stays consistent with itself. Called again with
     * the original bytes, it restores the original hashes exactly.
     */
    private static void rechain(long from, byte[] payload) throws SQLException {
        asSuperuserWithoutTriggers(c -> {
            byte[] prev;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT prev_hash FROM audit.audit_entry WHERE position = ?")) {
                ps.setLong(1, from);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    prev = rs.getBytes(1);
                }
            }
            long last = from - 1;
            try (PreparedStatement rows = c.prepareStatement("SELECT position, payload, hash_version, topic, "
                    + "kafka_partition, kafka_offset, recorded_at FROM audit.audit_entry WHERE position >= ? "
                    + "ORDER BY position");
                    PreparedStatement update = c.prepareStatement("UPDATE audit.audit_entry SET payload = ?, "
                            + "prev_hash = ?, entry_hash = ? WHERE position = ?")) {
                rows.setLong(1, from);
                try (ResultSet rs = rows.executeQuery()) {
                    while (rs.next()) {
                        long position = rs.getLong(1);
                        byte[] bytes = position == from ? payload : rs.getBytes(2);
                        byte[] hash = rs.getInt(3) == ChainHash.V1 ? ChainHash.entryHash(prev, position, bytes)
                                : ChainHash.entryHashV2(prev, position, rs.getString(4), rs.getInt(5), rs.getLong(6),
                                        rs.getTimestamp(7).toInstant(), bytes); // the formula the row says
                        update.setBytes(1, bytes);
                        update.setBytes(2, prev);
                        update.setBytes(3, hash);
                        update.setLong(4, position);
                        assertThat(update.executeUpdate()).isEqualTo(1);
                        prev = hash;
                        last = position;
                    }
                }
            }
            try (PreparedStatement head = c.prepareStatement(
                    "UPDATE audit.audit_head SET head_hash = ? WHERE position = ?")) {
                head.setBytes(1, prev);
                head.setLong(2, last);
                assertThat(head.executeUpdate()).as("the head is at %d", last).isEqualTo(1);
            }
        });
    }

    private static void setPayload(long position, byte[] payload) throws SQLException {
        asSuperuserWithoutTriggers(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE audit.audit_entry SET payload = ? WHERE position = ?")) {
                ps.setBytes(1, payload);
                ps.setLong(2, position);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        });
    }
}
