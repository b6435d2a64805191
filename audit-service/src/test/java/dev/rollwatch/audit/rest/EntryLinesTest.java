package dev.rollwatch.audit.rest;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.rollwatch.audit.domain.ChainHash;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The export's lines are exactly what the export wrote before it stopped building a view and a JSON tree per row:
 * {@code writeValueAsBytes(EntryView.of(entry))} and a newline, for every kind of JSON a stored event can hold —
 * decimals in every spelling (the tree strips trailing zeros), big numbers, escapes, non-ASCII, nesting, a key given
 * twice (the tree keeps the last value in the first place), and bytes that are not JSON (the stream ends as before).
 * A mapper configured like Quarkus's (ISO instants), in declaration order and sorted;
 * {@code AuditExportFormatIT} checks the service's real one.
 */
class EntryLinesTest {

    private static final ObjectMapper QUARKUS_LIKE = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private static final List<String> NUMBERS = List.of("1.0", "0.10", "1e3", "1E+3", "-0.0", "0.0", "100.00",
            "1.5e-7", "123456789012345678901234567890.5", "0.0831", "1e400", "2.50E10", "-1.230e-5", "0e5", "10.0e1",
            "1E-400", "12345678901234567890", "-0", "0", "42", "-2147483649", "9223372036854775808", "3.14159",
            "1.7976931348623157E309", "5e-324");

    @Test
    void everyLineIsWhatTheViewWouldHaveBeen() throws Exception {
        everyLineIsWhatTheViewWouldHaveBeen(QUARKUS_LIKE.copy());
    }

    @Test
    void theFieldsComeInTheMappersOrder() throws Exception {
        ObjectMapper sorted = QUARKUS_LIKE.copy().enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY);
        String line = everyLineIsWhatTheViewWouldHaveBeen(sorted);
        assertThat(line).startsWith("{\"causationId\":");
        assertThat(everyLineIsWhatTheViewWouldHaveBeen(QUARKUS_LIKE.copy())).startsWith("{\"position\":");
    }

    /** Writes the corpus, compares it with the views, returns the first line. */
    private static String everyLineIsWhatTheViewWouldHaveBeen(ObjectMapper json) throws Exception {
        List<String> events = new ArrayList<>();
        for (String n : NUMBERS) {
            events.add("{\"specversion\":\"1.0\",\"id\":\"x\",\"data\":{\"value\":" + n + ",\"list\":[" + n + ",{\"v\":"
                    + n + "}]}}");
        }
        events.add("{ \"specversion\" : \"1.0\",\n  \"data\" : {\"s\": \"tab\\t quote\\\" slash\\/ nl\\n u\\u0001 é 🚀\","
                + " \"e\": \"\", \"t\": true, \"f\": false, \"n\": null, \"o\": {}, \"a\": [], \"deep\": [[[{\"x\":[1,"
                + "2.50]}]]]} }");
        events.add("{\"a\":1,\"b\":2,\"a\":3}");
        events.add("{\"nested\":{\"k\":1,\"k\":{\"z\":2.0}}}");
        events.add("[1, 2.0, \"three\"]");
        events.add("\"just a string\"");
        events.add("{\"a\":1} trailing bytes the tree ignores");

        EntryLines lines = new EntryLines(json);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder expected = new StringBuilder();
        long position = 0;
        for (String event : events) {
            position++;
            ResultSet row = row(position, event.getBytes(StandardCharsets.UTF_8), position % 2 == 0);
            assertThat(lines.write(row, out)).isEqualTo(position);
            expected.append(new String(json.writeValueAsBytes(EntryView.of(
                    dev.rollwatch.audit.repository.AuditLogRepository.entry(row))), StandardCharsets.UTF_8))
                    .append('\n');
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"value\":1E+2").contains("\"value\":0,")
                .contains("{\"a\":3,\"b\":2}");
        return out.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
    }

    @Test
    void storedBytesThatAreNotJsonEndTheStreamAsBefore() throws Exception {
        EntryLines lines = new EntryLines(QUARKUS_LIKE.copy());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> lines.write(row(1, "{\"a\":".getBytes(StandardCharsets.UTF_8), false), out))
                .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("not JSON");
        assertThat(out.size()).isZero();
        // and the next row is written whole
        lines.write(row(2, "{\"a\":1.50}".getBytes(StandardCharsets.UTF_8), false), out);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("{\"position\":2,").endsWith("\"event\":{\"a\":1.5}}\n");
    }

    /** A cursor row in the repository's column order. */
    private static ResultSet row(long position, byte[] payload, boolean nulls) {
        Object[] columns = {position, "/rollwatch/deploy-service", "id-" + position, "dev.rollwatch.x.v1",
                nulls ? null : "subject-\"" + position, nulls ? null : Timestamp.from(Instant.parse(
                "2026-11-22T03:01:02.123456Z")), nulls ? null : "cause", nulls ? null : "corr", "deployment-started",
                2, 17L + position, payload, ChainHash.genesis(), ChainHash.entryHash(ChainHash.genesis(), position,
                payload), Timestamp.from(Instant.parse("2026-11-22T03:01:02.140500Z")), 2};
        return (ResultSet) Proxy.newProxyInstance(EntryLinesTest.class.getClassLoader(),
                new Class<?>[] {ResultSet.class}, (proxy, method, args) -> {
                    Object value = columns[(Integer) args[0] - 1];
                    return switch (method.getName()) {
                        case "getLong" -> ((Number) value).longValue();
                        case "getInt" -> ((Number) value).intValue();
                        case "getString", "getTimestamp", "getBytes" -> value;
                        default -> throw new UnsupportedOperationException(method.getName());
                    };
                });
    }
}
