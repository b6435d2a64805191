package dev.rollwatch.audit;

import dev.rollwatch.audit.domain.ChainHash;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventHeader;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestKafka;
import dev.rollwatch.testsupport.TestPostgres;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;

import static dev.rollwatch.audit.AuditTestSupport.superuser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A benchmark, not a timed test: a burst of {@code audit.bench.events} events (default 2,000: the CI run) on the
 * eight topics of a rollout-and-rollback, from the first send to the last committed row, printed beside the raw rate
 * of a plain JDBC batch insert of the same rows (same columns, same v2 hashes, into a logged copy of the table with
 * the same indexes and constraints) in the same run; then the NDJSON export of the whole log beside
 * {@code COPY … TO STDOUT} of the same rows. Prints the ratios and the machine's load average. Asserts only
 * completeness.
 *
 * <pre>nice -n 19 ./mvnw -o -q -pl audit-service verify -Dit.test=AuditThroughputIT -Dtest=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Daudit.bench.events=200000</pre>
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class AuditThroughputIT {

    /** How many events the burst has (rounded up to whole flows of 8). */
    private static final int EVENTS = Integer.getInteger("audit.bench.events", 2_000);
    private static final int FLOWS = Math.max(1, (EVENTS + 7) / 8);

    @TestHTTPResource("/api/v1/audit/events/stream")
    URL stream;

    @Test
    void aBurstOfEventsIsAppendedCompletelyAndTheRatesAreReported() throws Exception {
        String loadBefore = loadAverage();
        List<Envelope<?>> events = new ArrayList<>();
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < FLOWS; i++) {
            RollbackFlow flow = new RollbackFlow();
            subjects.add(flow.deploymentId);
            events.addAll(flow.events());
        }
        List<byte[]> payloads = events.stream().map(EventCodec::encode).toList();
        long headBefore = headPosition();

        long started = System.nanoTime();
        List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, // the burst, not the producer, is what is measured
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (int i = 0; i < events.size(); i++) {
                sent.add(producer.send(new ProducerRecord<>(events.get(i).topic(), events.get(i).key(),
                        payloads.get(i))));
            }
            producer.flush();
        }
        long produced = System.nanoTime();
        // Cheap while waiting (the head row, on one connection: a new one every poll would fork a backend each
        // time on the same 2 cores), exact at the end (every event of the burst by its deployment).
        Duration deadline = Duration.ofSeconds(Math.max(180, events.size() / 100));
        try (Connection c = superuser(); PreparedStatement head = c.prepareStatement(
                "SELECT position FROM audit.audit_head WHERE id = 1")) {
            await().atMost(deadline).pollInterval(Duration.ofMillis(20))
                    .until(() -> headPosition(head) >= headBefore + events.size());
        }
        await().atMost(deadline).pollInterval(Duration.ofMillis(20)).until(() -> count(subjects) == events.size());
        long appended = System.nanoTime();
        assertThat(count(subjects)).isEqualTo(events.size());

        List<RecordMetadata> where = new ArrayList<>(sent.size());
        for (Future<RecordMetadata> f : sent) {
            where.add(f.get());
        }
        double ingestRate = events.size() / seconds(appended - started);
        double rawRate = rawBatchInsertRate(payloads, where);

        // Export: the whole log as NDJSON over HTTP, beside COPY ... TO STDOUT of the same rows (what psql \copy does).
        long exportStarted = System.nanoTime();
        long lines = 0;
        byte[] last;
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(stream.toURI())
                .header("Authorization", TestTokens.authorization()).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (InputStream in = response.body()) {
            LastLine tail = new LastLine();
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                lines += tail.accept(buffer, n);
            }
            last = tail.line();
        }
        double exportSeconds = seconds(System.nanoTime() - exportStarted);
        double exportRate = lines / exportSeconds;
        long lastPosition = JsonPath.from(new String(last, StandardCharsets.UTF_8)).getLong("position");
        double copyRate = copyOutRate();
        String loadAfter = loadAverage();

        System.out.printf("[audit-benchmark] events: %d (%d rollout-and-rollback flows x 8, on 8 topics); log %d "
                + "entries after the burst%n", events.size(), FLOWS, lastPosition);
        System.out.printf("[audit-benchmark] ingest: produced in %.0f ms, all appended after %.0f ms -> %.0f events/s "
                + "(Kafka to committed, hashed rows); raw JDBC batch insert of the same rows: %.0f events/s; "
                + "ratio %.2f%n", (produced - started) / 1e6, (appended - started) / 1e6, ingestRate, rawRate,
                ingestRate / rawRate);
        System.out.printf("[audit-benchmark] export: %d entries as NDJSON over HTTP in %.0f ms -> %.0f events/s; "
                + "COPY TO STDOUT of the same table: %.0f events/s; ratio %.2f%n", lines, exportSeconds * 1e3,
                exportRate, copyRate, exportRate / copyRate);
        System.out.printf("[audit-benchmark] load average (1, 5, 15 min; runnable/threads): before %s, after %s; "
                + "%d cores%n", loadBefore, loadAfter, Runtime.getRuntime().availableProcessors());
        assertThat(lines).isGreaterThanOrEqualTo(events.size()).isEqualTo(lastPosition);
    }

    /** Counts complete lines and keeps the last one, without decoding the others (that would time the client). */
    private static final class LastLine {
        private final java.io.ByteArrayOutputStream current = new java.io.ByteArrayOutputStream();
        private byte[] last = new byte[0];

        long accept(byte[] buffer, int length) {
            long lines = 0;
            int start = 0;
            for (int i = 0; i < length; i++) {
                if (buffer[i] == '\n') {
                    current.write(buffer, start, i - start);
                    last = current.toByteArray();
                    current.reset();
                    start = i + 1;
                    lines++;
                }
            }
            current.write(buffer, start, length - start);
            return lines;
        }

        byte[] line() {
            return last;
        }
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

    private static long headPosition() throws SQLException {
        try (Connection c = superuser(); PreparedStatement head = c.prepareStatement(
                "SELECT position FROM audit.audit_head WHERE id = 1")) {
            return headPosition(head);
        }
    }

    private static long headPosition(PreparedStatement head) throws SQLException {
        try (ResultSet rs = head.executeQuery()) {
            rs.next();
            return rs.getLong(1);
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

    /**
     * The same rows — every column the service stores, hashed by the same v2 formula, chained — written by plain
     * JDBC batches in one transaction into a logged copy of the table (same indexes and constraints), on a
     * connection with the service pool's JDBC properties. What the ingest adds on top: Kafka, the checks, the
     * dedup query, the head lock, many transactions.
     */
    private static double rawBatchInsertRate(List<byte[]> payloads, List<RecordMetadata> where) throws SQLException {
        List<EventHeader> headers = payloads.stream().map(EventCodec::decodeHeader).toList();
        Properties props = new Properties();
        props.setProperty("user", TestPostgres.USER);
        props.setProperty("password", TestPostgres.PASSWORD);
        ConfigProvider.getConfig().getOptionalValue(
                "quarkus.datasource.jdbc.additional-jdbc-properties.reWriteBatchedInserts", String.class)
                .ifPresent(v -> props.setProperty("reWriteBatchedInserts", v));
        try (Connection c = DriverManager.getConnection(TestPostgres.jdbcUrl(), props)) {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS public.audit_bench_entry");
                s.execute("CREATE TABLE public.audit_bench_entry (LIKE audit.audit_entry INCLUDING ALL)");
            }
            c.setAutoCommit(false);
            long started = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO public.audit_bench_entry (position, source, "
                    + "event_id, event_type, subject, event_time, causation_id, correlation_id, topic, "
                    + "kafka_partition, kafka_offset, payload, prev_hash, entry_hash, recorded_at, hash_version) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                byte[] prev = ChainHash.genesis();
                Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                for (int i = 0; i < payloads.size(); i++) {
                    EventHeader h = headers.get(i);
                    RecordMetadata m = where.get(i);
                    byte[] hash = ChainHash.entryHashV2(prev, i + 1, m.topic(), m.partition(), m.offset(), now,
                            payloads.get(i));
                    ps.setLong(1, i + 1);
                    ps.setString(2, h.source());
                    ps.setString(3, h.id());
                    ps.setString(4, h.type());
                    ps.setString(5, h.subject());
                    ps.setTimestamp(6, h.time() == null ? null : Timestamp.from(h.time()));
                    ps.setString(7, h.causationId());
                    ps.setString(8, h.correlationId());
                    ps.setString(9, m.topic());
                    ps.setInt(10, m.partition());
                    ps.setLong(11, m.offset());
                    ps.setBytes(12, payloads.get(i));
                    ps.setBytes(13, prev);
                    ps.setBytes(14, hash);
                    ps.setTimestamp(15, Timestamp.from(now));
                    ps.setInt(16, ChainHash.V2);
                    ps.addBatch();
                    prev = hash;
                    if ((i + 1) % 1_000 == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
            double rate = payloads.size() / seconds(System.nanoTime() - started);
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE public.audit_bench_entry");
            }
            return rate;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
