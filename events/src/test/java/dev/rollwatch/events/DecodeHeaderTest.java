package dev.rollwatch.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link EventCodec#decodeHeader} reads the header without building the event as a tree (the audit log reads one per
 * stored event): it must see exactly what the full decode sees — the same attributes for every golden event, and the
 * same refusal, with the same message, for every broken one.
 */
class DecodeHeaderTest {

    @Test
    void everyGoldenEventHasTheHeaderTheFullDecodeReads() {
        assertThat(GoldenFixtures.all()).isNotEmpty().allSatisfy(fixture -> {
            ObjectNode tree = fixture.tree();
            EventHeader header = EventCodec.decodeHeader(fixture.bytes());
            assertThat(header.id()).isEqualTo(tree.get("id").asText());
            assertThat(header.source()).isEqualTo(tree.get("source").asText());
            assertThat(header.type()).isEqualTo(tree.get("type").asText());
            assertThat(header.subject()).isEqualTo(text(tree, "subject"));
            assertThat(header.time()).isEqualTo(tree.hasNonNull("time") ? Instant.parse(tree.get("time").asText()) : null);
            assertThat(header.causationId()).isEqualTo(text(tree, "causationid"));
            assertThat(header.correlationId()).isEqualTo(text(tree, "correlationid"));
            assertThat(header.partitionKey()).isEqualTo(text(tree, "partitionkey"));
            if (header.knownType().isPresent()) {
                Envelope<EventData> full = EventCodec.decode(fixture.bytes());
                assertThat(full.id()).isEqualTo(header.id());
                assertThat(full.time()).isEqualTo(header.time());
            }
        });
    }

    @Test
    void attributesInAnyOrderAndNestedLookalikesInDataAreReadAsTheTreeReadsThem() {
        ObjectNode event = GoldenFixtures.primary(EventType.ROLLBACK_REQUESTED).tree();
        ObjectNode reordered = EventCodec.mapper().createObjectNode();
        reordered.set("data", event.get("data").deepCopy());
        ((ObjectNode) reordered.get("data")).put("id", "not-the-event-id").putObject("nested").put("type", "x");
        event.fieldNames().forEachRemaining(f -> {
            if (!f.equals("data")) {
                reordered.set(f, event.get(f));
            }
        });
        reordered.putNull("subject");

        EventHeader header = EventCodec.decodeHeader(bytes(reordered.toString()));

        assertThat(header.id()).isEqualTo(event.get("id").asText());
        assertThat(header.type()).isEqualTo(event.get("type").asText());
        assertThat(header.subject()).isNull();
    }

    @Test
    void everyBrokenEventIsRefusedWithTheMessageOfTheFullDecode() {
        Map<String, byte[]> broken = new LinkedHashMap<>();
        broken.put("not JSON", bytes("deployment started!"));
        broken.put("cut short", bytes("{\"specversion\":\"1.0\","));
        broken.put("an array", bytes("[{\"specversion\":\"1.0\"}]"));
        broken.put("a string", bytes("\"event\""));
        broken.put("no id", edit(e -> e.remove("id")));
        broken.put("no source", edit(e -> e.remove("source")));
        broken.put("blank type", edit(e -> e.put("type", "")));
        broken.put("old specversion", edit(e -> e.put("specversion", "0.3")));
        broken.put("no specversion", edit(e -> e.remove("specversion")));
        broken.put("numeric id", edit(e -> e.put("id", 42)));
        broken.put("object subject", edit(e -> e.putObject("subject").put("a", 1)));
        broken.put("invalid time", edit(e -> e.put("time", "yesterday")));
        broken.put("xml data", edit(e -> e.put("datacontenttype", "application/xml")));
        for (Map.Entry<String, byte[]> c : broken.entrySet()) {
            Throwable full = catchThrowable(() -> EventCodec.decode(c.getValue()));
            assertThat(full).as(c.getKey()).isInstanceOf(InvalidEventException.class);
            String expected = full.getMessage().startsWith("not JSON: ") ? "not JSON: " : full.getMessage();
            assertThatThrownBy(() -> EventCodec.decodeHeader(c.getValue())).as(c.getKey())
                    .isInstanceOf(InvalidEventException.class).hasMessageStartingWith(expected);
        }
        assertThatThrownBy(() -> EventCodec.decodeHeader(new byte[0])).hasMessage("empty record");
        assertThatThrownBy(() -> EventCodec.decodeHeader(null)).hasMessage("empty record");
    }

    @Test
    void malformedDataIsRefusedAlthoughTheHeaderIsComplete() {
        String good = new String(GoldenFixtures.primary(EventType.STEP_STARTED).bytes(), StandardCharsets.UTF_8);
        String cut = good.replace("\"data\":{", "\"data\":{\"broken\":[1,2,");

        assertThatThrownBy(() -> EventCodec.decodeHeader(bytes(cut))).isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("not JSON: ");
    }

    private static String text(ObjectNode tree, String field) {
        return tree.hasNonNull(field) ? tree.get(field).asText() : null;
    }

    private static byte[] edit(java.util.function.Consumer<ObjectNode> change) {
        ObjectNode event = GoldenFixtures.primary(EventType.STEP_STARTED).tree();
        change.accept(event);
        return bytes(event.toString());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
