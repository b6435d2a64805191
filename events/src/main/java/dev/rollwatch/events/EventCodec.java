package dev.rollwatch.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * CloudEvents 1.0 structured JSON mode, the only wire format of Rollwatch events. Encoding is canonical: the
 * context attributes in a fixed order, then {@code data} with its fields sorted and absent values omitted, so
 * the same event always has the same bytes (what the audit log hashes and the golden fixtures pin).
 */
public final class EventCodec {

    /** Content type of a structured-mode event, also set as the Kafka {@code content-type} header. */
    public static final String CONTENT_TYPE = "application/cloudevents+json";
    public static final String DATA_CONTENT_TYPE = "application/json";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private EventCodec() {
    }

    /** The mapper used for event data; shared so services render data exactly as the wire does. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Envelope<?> event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("specversion", Envelope.SPEC_VERSION);
            g.writeStringField("id", event.id());
            g.writeStringField("source", event.source());
            g.writeStringField("type", event.type().type());
            writeIfPresent(g, "subject", event.subject());
            if (event.time() != null) {
                g.writeStringField("time", event.time().toString());
            }
            g.writeStringField("datacontenttype", DATA_CONTENT_TYPE);
            writeIfPresent(g, "causationid", event.causationId());
            writeIfPresent(g, "correlationid", event.correlationId());
            writeIfPresent(g, "partitionkey", event.partitionKey());
            g.writeFieldName("data");
            MAPPER.writeValue(g, event.data());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode event " + event.id(), e);
        }
        return out.toByteArray();
    }

    private static void writeIfPresent(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    /** Decode a contract event: a valid CloudEvent of a known type whose data satisfies its record. */
    public static Envelope<EventData> decode(byte[] bytes) {
        ObjectNode root = parseObject(bytes);
        EventHeader header = header(root);
        EventType type = EventType.fromType(header.type())
                .orElseThrow(() -> new InvalidEventException("unknown event type '" + header.type() + "'"));
        JsonNode dataNode = root.get("data");
        if (dataNode == null || !dataNode.isObject()) {
            throw new InvalidEventException("event " + header.id() + " has no data object");
        }
        EventData data;
        try {
            data = MAPPER.treeToValue(dataNode, type.dataClass());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidEventException("event " + header.id() + " (" + header.type() + ") has invalid data"
                    + fieldPath(e) + ": " + rootMessage(e), e);
        }
        return new Envelope<>(header.id(), header.source(), type, header.subject(), header.time(),
                header.causationId(), header.correlationId(), header.partitionKey(), data);
    }

    /** Read only the context attributes; the type need not be one this build knows. */
    public static EventHeader decodeHeader(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidEventException("empty record");
        }
        // Streamed, not read into a tree: the audit log decodes the header of every event it stores, and building
        // the whole data object as nodes only to read eight attributes was a measurable part of its ingest. The same
        // checks and messages as header(ObjectNode): the same header for the same bytes (EventCodecTest).
        String[] values = new String[HEADER_ATTRIBUTES.size()];
        try (JsonParser p = MAPPER.getFactory().createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidEventException("not a JSON object");
            }
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                int slot = slot(field);
                JsonToken value = p.nextToken();
                if (slot < 0) {
                    p.skipChildren(); // still read to its end: malformed JSON anywhere is refused, as readTree does
                } else if (value == JsonToken.VALUE_NULL) {
                    values[slot] = null;
                } else if (value == JsonToken.VALUE_STRING) {
                    values[slot] = p.getText();
                } else {
                    p.skipChildren();
                    values[slot] = NOT_A_STRING;
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new InvalidEventException("not JSON: the event object is not closed");
            }
        } catch (IOException e) {
            throw new InvalidEventException("not JSON: " + rootMessage(e), e);
        }
        return header(field -> values[slot(field)]);
    }

    /** Where decodeHeader keeps an attribute of {@link EventHeader}, or -1 for anything else (skipped). */
    private static int slot(String field) {
        return switch (field) {
            case "specversion" -> 0;
            case "id" -> 1;
            case "source" -> 2;
            case "type" -> 3;
            case "time" -> 4;
            case "datacontenttype" -> 5;
            case "subject" -> 6;
            case "causationid" -> 7;
            case "correlationid" -> 8;
            case "partitionkey" -> 9;
            default -> -1;
        };
    }

    /** The CloudEvents attributes {@link EventHeader} is made of; anything else is skipped by decodeHeader. */
    private static final List<String> HEADER_ATTRIBUTES = List.of("specversion", "id", "source", "type", "time",
            "datacontenttype", "subject", "causationid", "correlationid", "partitionkey");
    /** Marks an attribute that was present but not a string (an error, reported only if the attribute is read). */
    private static final String NOT_A_STRING = new String("\0not-a-string");

    private static ObjectNode parseObject(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidEventException("empty record");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidEventException("not JSON: " + rootMessage(e), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidEventException("not a JSON object");
        }
        return (ObjectNode) root;
    }

    private static EventHeader header(ObjectNode root) {
        return header(field -> text(root, field));
    }

    /** The header from its attributes, each a string or null ({@code attribute} throws if one is not a string). */
    private static EventHeader header(java.util.function.Function<String, String> attribute) {
        java.util.function.Function<String, String> root = field -> {
            String value = attribute.apply(field);
            if (value == NOT_A_STRING) {
                throw new InvalidEventException("CloudEvent attribute '" + field + "' must be a string");
            }
            return value;
        };
        String specVersion = text(root, "specversion");
        if (!Envelope.SPEC_VERSION.equals(specVersion)) {
            throw new InvalidEventException("specversion must be 1.0, was " + specVersion);
        }
        String id = required(root, "id");
        String source = required(root, "source");
        String type = required(root, "type");
        Instant time = null;
        String timeText = text(root, "time");
        if (timeText != null) {
            try {
                time = Instant.parse(timeText);
            } catch (DateTimeParseException e) {
                throw new InvalidEventException("event " + id + " has an invalid time '" + timeText + "'", e);
            }
        }
        String dataContentType = text(root, "datacontenttype");
        if (dataContentType != null && !dataContentType.startsWith(DATA_CONTENT_TYPE)) {
            throw new InvalidEventException("event " + id + " has datacontenttype " + dataContentType);
        }
        return new EventHeader(id, source, type, text(root, "subject"), time, text(root, "causationid"),
                text(root, "correlationid"), text(root, "partitionkey"));
    }

    private static String text(java.util.function.Function<String, String> root, String field) {
        return root.apply(field);
    }

    private static String required(java.util.function.Function<String, String> root, String field) {
        String value = root.apply(field);
        if (value == null || value.isEmpty()) {
            throw new InvalidEventException("CloudEvent attribute '" + field + "' is required");
        }
        return value;
    }

    private static String required(ObjectNode root, String field) {
        String value = text(root, field);
        if (value == null || value.isEmpty()) {
            throw new InvalidEventException("CloudEvent attribute '" + field + "' is required");
        }
        return value;
    }

    private static String text(ObjectNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidEventException("CloudEvent attribute '" + field + "' must be a string");
        }
        return node.asText();
    }

    /** Where in {@code data} a binding failed, e.g. {@code " at steps[0].weight"}; empty when not known. */
    private static String fieldPath(Exception e) {
        if (!(e instanceof JsonMappingException mapping)) {
            return "";
        }
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : mapping.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "" : " at " + path;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        if (message == null) {
            return t.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }
}
