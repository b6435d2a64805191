package dev.rollwatch.audit.rest;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollwatch.audit.repository.AuditLogRepository;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes cursor rows as NDJSON lines, byte for byte what {@code json.writeValueAsBytes(EntryView.of(entry))} and a
 * newline give, without building an entry, a view or a JSON tree per row: the columns go straight into one
 * generator and the stored event is copied token by token from a streaming parser. The one thing the tree does that
 * a token copy would not is normalize decimals (trailing zeros stripped, zero as {@code 0}: {@link EntryView}
 * parses with {@code USE_BIG_DECIMAL_FOR_FLOATS}), which {@link #decimal} repeats. A stored event the copy cannot
 * take as the tree would — a key given twice (the tree keeps the last value), bytes that are not JSON — is written
 * through {@link EntryView} instead, exactly as before. The view's fields are written in the order the mapper
 * writes them (the service's mapper sorts them alphabetically), learnt once from a sample view. Not thread-safe: one
 * per response.
 */
final class EntryLines {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final ObjectMapper json;
    private final Line line = new Line();
    private final char[] hex = new char[64];
    private final int[] order;
    private JsonGenerator gen;

    /** {@code json}: the mapper the view would be written with (the service's, without indentation). */
    EntryLines(ObjectMapper json) throws IOException {
        this.json = json;
        this.order = order(json);
        this.gen = generator();
    }

    /** Writes the cursor's current row ({@code AuditLogRepository} column order) as one line; returns its position. */
    long write(ResultSet row, OutputStream out) throws SQLException, IOException {
        long position = row.getLong(1);
        try {
            if (order == null) {
                throw new IOException("the view's fields are not the ones this writer knows");
            }
            fields(row, position);
            gen.flush();
        } catch (IOException | RuntimeException notAsTheTree) {
            line.reset();
            gen = generator(); // the old one is mid-object
            line.write(json.writeValueAsBytes(EntryView.of(AuditLogRepository.entry(row))));
        }
        line.write('\n');
        line.writeTo(out);
        line.reset();
        return position;
    }

    private void fields(ResultSet row, long position) throws SQLException, IOException {
        gen.writeStartObject();
        for (int field : order) {
            switch (field) {
                case POSITION -> gen.writeNumberField("position", position);
                case ID -> gen.writeStringField("id", row.getString(3));
                case SOURCE -> gen.writeStringField("source", row.getString(2));
                case TYPE -> gen.writeStringField("type", row.getString(4));
                case SUBJECT -> gen.writeStringField("subject", row.getString(5));
                case TIME -> instant("time", row.getTimestamp(6));
                case CAUSATION_ID -> gen.writeStringField("causationId", row.getString(7));
                case CORRELATION_ID -> gen.writeStringField("correlationId", row.getString(8));
                case TOPIC -> gen.writeStringField("topic", row.getString(9));
                case PARTITION -> gen.writeNumberField("partition", row.getInt(10));
                case OFFSET -> gen.writeNumberField("offset", row.getLong(11));
                case RECORDED_AT -> instant("recordedAt", row.getTimestamp(15));
                case PREV_HASH -> hex("prevHash", row.getBytes(13));
                case ENTRY_HASH -> hex("entryHash", row.getBytes(14));
                case EVENT -> {
                    gen.writeFieldName("event");
                    event(row.getBytes(12));
                }
                default -> throw new IllegalStateException("unknown field " + field);
            }
        }
        gen.writeEndObject();
    }

    private static final int POSITION = 0;
    private static final int ID = 1;
    private static final int SOURCE = 2;
    private static final int TYPE = 3;
    private static final int SUBJECT = 4;
    private static final int TIME = 5;
    private static final int CAUSATION_ID = 6;
    private static final int CORRELATION_ID = 7;
    private static final int TOPIC = 8;
    private static final int PARTITION = 9;
    private static final int OFFSET = 10;
    private static final int RECORDED_AT = 11;
    private static final int PREV_HASH = 12;
    private static final int ENTRY_HASH = 13;
    private static final int EVENT = 14;
    private static final List<String> NAMES = List.of("position", "id", "source", "type", "subject", "time",
            "causationId", "correlationId", "topic", "partition", "offset", "recordedAt", "prevHash", "entryHash",
            "event");

    /**
     * The view's fields in the order {@code json} writes them (declaration order, or alphabetical when the mapper
     * sorts properties): read once from a view it serializes. Anything unexpected (a field renamed, added or left
     * out): {@code null}, and every row goes through the view.
     */
    private static int[] order(ObjectMapper json) {
        try {
            byte[] sample = json.writeValueAsBytes(new EntryView(1, "i", "s", "t", "u", Instant.EPOCH, "c", "r", "o",
                    0, 0, Instant.EPOCH, "p", "e", json.getNodeFactory().objectNode()));
            List<Integer> order = new ArrayList<>();
            try (JsonParser p = json.createParser(sample)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return null;
                }
                for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                    int field = NAMES.indexOf(p.currentName());
                    if (field < 0 || order.contains(field)) {
                        return null;
                    }
                    order.add(field);
                    p.nextToken();
                    p.skipChildren();
                }
            }
            return order.size() == NAMES.size() ? order.stream().mapToInt(Integer::intValue).toArray() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** As the view's {@code Instant} (ISO-8601, {@code Instant.toString()}), read as {@code AuditLogRepository} does. */
    private void instant(String name, Timestamp value) throws IOException {
        gen.writeStringField(name, value == null ? null : value.toInstant().toString());
    }

    /** As {@code ChainHash.hex}: lowercase. */
    private void hex(String name, byte[] value) throws IOException {
        gen.writeFieldName(name);
        if (value == null) {
            gen.writeNull();
            return;
        }
        char[] chars = value.length * 2 <= hex.length ? hex : new char[value.length * 2];
        for (int i = 0; i < value.length; i++) {
            chars[2 * i] = HEX[(value[i] >> 4) & 0xF];
            chars[2 * i + 1] = HEX[value[i] & 0xF];
        }
        gen.writeString(chars, 0, value.length * 2);
    }

    /** The stored event's first JSON value, token by token, as the tree of {@link EntryView#parse} would write it. */
    private void event(byte[] payload) throws IOException {
        try (JsonParser p = EntryView.mapper().createParser(payload)) {
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION); // a key twice: the tree's rules, not ours
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IOException("no JSON value");
            }
            int depth = 0;
            do {
                switch (t) {
                    case START_OBJECT -> {
                        gen.writeStartObject();
                        depth++;
                    }
                    case START_ARRAY -> {
                        gen.writeStartArray();
                        depth++;
                    }
                    case END_OBJECT -> {
                        gen.writeEndObject();
                        depth--;
                    }
                    case END_ARRAY -> {
                        gen.writeEndArray();
                        depth--;
                    }
                    case VALUE_NUMBER_FLOAT -> gen.writeNumber(decimal(p.getDecimalValue()));
                    default -> gen.copyCurrentEvent(p); // names, strings, integers, true, false, null
                }
            } while (depth > 0 && (t = p.nextToken()) != null);
            if (depth > 0) {
                throw new IOException("the stored event ends early");
            }
        }
    }

    /** What the tree makes of a decimal: zero as {@code 0}, otherwise without trailing zeros ({@code 1E+2}). */
    static BigDecimal decimal(BigDecimal value) {
        return value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    }

    private JsonGenerator generator() throws IOException {
        JsonGenerator g = json.createGenerator(line, JsonEncoding.UTF8);
        g.setRootValueSeparator(null); // lines are separated by '\n', written here
        return g;
    }

    /** The line being built: reused for every row. */
    private static final class Line extends ByteArrayOutputStream {
        Line() {
            super(4096);
        }
    }
}
