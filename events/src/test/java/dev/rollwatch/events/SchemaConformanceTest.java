package dev.rollwatch.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.rollwatch.events.GoldenFixtures.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JSON Schemas under {@code schemas/} describe the data exactly as the codec writes and reads it: every
 * fixture validates, every field of every record is described, and a field the schema calls required is one the
 * codec cannot do without (and the other way round).
 */
class SchemaConformanceTest {

    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final String ENVELOPE_SCHEMA = "schemas/cloudevent-envelope.schema.json";

    static List<Fixture> fixtures() {
        return GoldenFixtures.all();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyEventTypeHasAValidDraft202012Schema(EventType type) {
        JsonNode schema = resource(type.schemaResource());

        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("type").asText()).isEqualTo("object");
        assertThat(schema.has("additionalProperties"))
                .as("changes within a major version are additive: older consumers accept newer fields").isFalse();
        assertThat(validate(metaSchema(), schema)).as("errors against the draft 2020-12 meta-schema").isEmpty();
    }

    @Test
    void envelopeSchemaIsAValidDraft202012Schema() {
        assertThat(validate(metaSchema(), resource(ENVELOPE_SCHEMA))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureDataValidatesAgainstItsTypesSchema(Fixture fixture) {
        EventType type = EventType.fromType(fixture.typeFromName()).orElseThrow();

        assertThat(validate(schema(type), fixture.data())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureValidatesAgainstTheEnvelopeSchema(Fixture fixture) {
        assertThat(validate(schema(ENVELOPE_SCHEMA), fixture.tree())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void schemaDescribesEveryFieldOfTheRecord(EventType type) {
        JsonNode schema = resource(type.schemaResource());

        assertThat(propertyNames(schema)).isEqualTo(componentNames(type.dataClass()));
        // Nested records are described under $defs by their simple name.
        for (Iterator<String> names = schema.path("$defs").fieldNames(); names.hasNext(); ) {
            String name = names.next();
            Class<?> nested = nestedRecord(name);
            if (nested != null) {
                assertThat(propertyNames(schema.path("$defs").path(name))).as("$defs/" + name)
                        .isEqualTo(componentNames(nested));
            }
        }
    }

    @Test
    void dataMissingARequiredFieldIsRejected() {
        ObjectNode breach = GoldenFixtures.primary(EventType.THRESHOLD_BREACHED).data();
        breach.remove("observedAt");

        List<Error> errors = validate(schema(EventType.THRESHOLD_BREACHED), breach);

        assertThat(errors).extracting(Error::getMessage).anySatisfy(m -> assertThat(m).contains("observedAt"));
    }

    @Test
    void setWeightStepWithoutAWeightIsRejected() {
        ObjectNode started = GoldenFixtures.primary(EventType.DEPLOYMENT_STARTED).data();
        ObjectNode firstStep = (ObjectNode) started.get("steps").get(0);
        assertThat(firstStep.path("kind").asText()).isEqualTo("SET_WEIGHT");
        firstStep.remove("weight");

        assertThat(validate(schema(EventType.DEPLOYMENT_STARTED), started)).isNotEmpty();
        assertThatThrownBy(() -> EventCodec.decode(withData(EventType.DEPLOYMENT_STARTED, started)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("weight");
    }

    @Test
    void checkWithNeitherMinNorMaxIsRejected() {
        ObjectNode started = GoldenFixtures.primary(EventType.DEPLOYMENT_STARTED).data();
        ObjectNode check = (ObjectNode) started.get("analysis").get("checks").get(0);
        check.remove("min");
        check.remove("max");

        assertThat(validate(schema(EventType.DEPLOYMENT_STARTED), started)).isNotEmpty();
        assertThatThrownBy(() -> EventCodec.decode(withData(EventType.DEPLOYMENT_STARTED, started)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("needs min or max");
    }

    @Test
    void unknownEnumValuesAndMalformedTimesAreRejected() {
        ObjectNode breach = GoldenFixtures.primary(EventType.THRESHOLD_BREACHED).data();
        breach.put("severity", "P4");
        assertThat(validate(schema(EventType.THRESHOLD_BREACHED), breach)).isNotEmpty();

        breach = GoldenFixtures.primary(EventType.THRESHOLD_BREACHED).data();
        breach.put("observedAt", "yesterday");
        assertThat(validate(schema(EventType.THRESHOLD_BREACHED), breach)).isNotEmpty();

        breach = GoldenFixtures.primary(EventType.THRESHOLD_BREACHED).data();
        breach.put("window", "30s");
        assertThat(validate(schema(EventType.THRESHOLD_BREACHED), breach)).isNotEmpty();
    }

    @Test
    void aNewerProducersExtraFieldIsAccepted() {
        ObjectNode breach = GoldenFixtures.primary(EventType.THRESHOLD_BREACHED).data();
        breach.put("region", "eu-west-1");
        breach.putObject("cohort").put("observed", 0.002);

        assertThat(validate(schema(EventType.THRESHOLD_BREACHED), breach)).isEmpty();
    }

    /**
     * For every field of every fixture, at any depth: drop it, and the schema and the codec must agree on whether
     * the rest is still a valid event. A schema that marks too little (or too much) as required fails here.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void schemaAndCodecAgreeOnEveryMissingField(Fixture fixture) {
        EventType type = EventType.fromType(fixture.typeFromName()).orElseThrow();
        Schema schema = schema(type);
        List<String> disagreements = new ArrayList<>();
        for (String path : fieldPaths(fixture.data(), "")) {
            ObjectNode data = fixture.data();
            remove(data, path);
            boolean schemaAccepts = validate(schema, data).isEmpty();
            boolean codecAccepts;
            try {
                EventCodec.decode(withData(type, data));
                codecAccepts = true;
            } catch (InvalidEventException e) {
                codecAccepts = false;
            }
            if (schemaAccepts != codecAccepts) {
                disagreements.add("without " + path + ": schema " + (schemaAccepts ? "accepts" : "rejects")
                        + ", codec " + (codecAccepts ? "accepts" : "rejects"));
            }
        }
        assertThat(disagreements).isEmpty();
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private static Schema metaSchema() {
        return REGISTRY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
    }

    private static Schema schema(EventType type) {
        return schema(type.schemaResource());
    }

    private static Schema schema(String resource) {
        return REGISTRY.getSchema(resource(resource));
    }

    private static List<Error> validate(Schema schema, JsonNode node) {
        // Format assertions on: "date-time" is checked, not merely annotated.
        return schema.validate(node,
                context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)));
    }

    private static JsonNode resource(String name) {
        try (InputStream in = SchemaConformanceTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as("resource " + name).isNotNull();
            return EventCodec.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> propertyNames(JsonNode schema) {
        Set<String> names = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> componentNames(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(c -> c.getName())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Class<?> nestedRecord(String name) {
        try {
            Class<?> c = Class.forName(EventData.class.getPackageName() + "." + name);
            return c.isRecord() ? c : null;
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /**
     * Paths like {@code steps/0/weight} of every object field under {@code node}, each name escaped as in a JSON
     * Pointer ({@code ~1} for {@code /}, {@code ~0} for {@code ~}): a smoke check's {@code expectJson} keys are
     * pointers themselves.
     */
    private static List<String> fieldPaths(JsonNode node, String prefix) {
        List<String> paths = new ArrayList<>();
        if (node.isObject()) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                String escaped = name.replace("~", "~0").replace("/", "~1");
                paths.add(prefix + escaped);
                paths.addAll(fieldPaths(node.get(name), prefix + escaped + "/"));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                paths.addAll(fieldPaths(node.get(i), prefix + i + "/"));
            }
        }
        return paths;
    }

    private static void remove(ObjectNode root, String path) {
        String[] parts = path.split("/");
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].replace("~1", "/").replace("~0", "~");
        }
        JsonNode parent = root;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = parent.isArray() ? ((ArrayNode) parent).get(Integer.parseInt(parts[i])) : parent.get(parts[i]);
        }
        ((ObjectNode) parent).remove(parts[parts.length - 1]);
    }

    private static byte[] withData(EventType type, ObjectNode data) {
        ObjectNode event = GoldenFixtures.primary(type).tree();
        event.set("data", data);
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }
}
