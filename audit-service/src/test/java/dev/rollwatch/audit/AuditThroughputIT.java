package dev.rollwatch.audit;

import dev.rollwatch.audit.domain.ChainHash;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.rollwatch.audit.AuditTestSupport.superuser;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A benchmark, not a timed test: a burst of 2,000 events on all topics, from the first send to the last committed
 * row, printed beside the raw rate of a plain JDBC batch insert of the same rows; then the NDJSON export of the
 * whole log beside COPY TO STDOUT. Asserts only completeness.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class AuditThroughputIT {

    private static final int FLOWS = 250; // x 8 events

    @Test
    void aBurstOfTwoThousandEventsIsAppendedCompletelyAndTheRateIsReported() throws Exception {
        List<Envelope<?>> events = new ArrayList<>();
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < FLOWS; i++) {
            RollbackFlow flow = new RollbackFlow();
            subjects.add(flow.deploymentId);
            events.addAll(flow.events());
        }
        List<byte[]> payloads = events.stream().map(EventCodec::encode).toList();

        long started = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (int i = 0; i < events.size(); i++) {
                producer.send(new ProducerRecord<>(events.get(i).topic(), events.get(i).key(), payloads.get(i)));
            }
            producer.flush();
        }
        long produced = System.nanoTime();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> count(subjects) == events.size());
        long appended = System.nanoTime();

        double ingestRate = events.size() / seconds(appended - started);
        double rawRate = rawBatchInsertRate(payloads);
        System.out.printf("[audit-benchmark] ingest: %d events produced in %.0f ms, all appended after %.0f ms "
                + "-> %.0f events/s (Kafka to committed, hashed rows); raw JDBC batch insert of the same rows: "
                + "%.0f events/s; ratio %.2f%n", events.size(), (produced - started) / 1e6,
                (appended - started) / 1e6, ingestRate, rawRate, ingestRate / rawRate);
        assertThat(count(subjects)).isEqualTo(events.size());

        // Export: the whole log as NDJSON over HTTP, beside COPY ... TO STDOUT of the same rows (what psql \copy does).
        long exportStarted = System.nanoTime();
        long[] lines = {0};
        long[] lastPosition = {0};
        try (InputStream in = given().when().get("/api/v1/audit/events/stream").then().statusCode(200)
                .extract().asInputStream();
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            String last = null;
            while ((line = reader.readLine()) != null) {
                lines[0]++;
                last = line;
            }
            lastPosition[0] = JsonPath.from(last).getLong("position"); // parsing every line would time the parser
        }
        double exportRate = lines[0] / seconds(System.nanoTime() - exportStarted);
        double copyRate = copyOutRate();
        System.out.printf("[audit-benchmark] export: %d entries streamed as NDJSON -> %.0f events/s; COPY TO STDOUT "
                + "of the same table: %.0f events/s; ratio %.2f%n", lines[0], exportRate, copyRate,
                exportRate / copyRate);
        assertThat(lines[0]).isGreaterThanOrEqualTo(events.size()).isEqualTo(lastPosition[0]);
    }

    private static double copyOutRate() throws SQLException, IOException {
        try (Connection c = superuser()) {
            long started = System.nanoTime();
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            long rows = copy.copyOut("COPY (SELECT * FROM audit.audit_entry ORDER BY position) TO STDOUT",
                    OutputStream.nullOutputStream());
            return rows / seconds(System.nanoTime() - started);
        }
    }

    private static long count(List<String> subjects) throws SQLException {
        try (Connection c = superuser(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM audit.audit_entry WHERE subject = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("varchar", subjects.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The same rows, hashed the same way, written by one plain JDBC batch into a copy of the table. */
    private static double rawBatchInsertRate(List<byte[]> payloads) throws SQLException {
        try (Connection c = superuser()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TEMP TABLE bench_entry (LIKE audit.audit_entry INCLUDING ALL)");
            }
            c.setAutoCommit(false);
            long started = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench_entry (position, source, event_id, "
                    + "event_type, topic, kafka_partition, kafka_offset, payload, prev_hash, entry_hash, "
                    + "recorded_at) VALUES (?, 'bench', ?, 'bench', 'bench', 0, ?, ?, ?, ?, ?)")) {
                byte[] prev = ChainHash.genesis();
                for (int i = 0; i < payloads.size(); i++) {
                    byte[] hash = ChainHash.entryHash(prev, i + 1, payloads.get(i));
                    ps.setLong(1, i + 1);
                    ps.setString(2, Integer.toString(i));
                    ps.setLong(3, i);
                    ps.setBytes(4, payloads.get(i));
                    ps.setBytes(5, prev);
                    ps.setBytes(6, hash);
                    ps.setTimestamp(7, Timestamp.from(Instant.now()));
                    ps.addBatch();
                    prev = hash;
                }
                ps.executeBatch();
            }
            c.commit();
            return payloads.size() / seconds(System.nanoTime() - started);
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
