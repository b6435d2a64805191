package dev.rollwatch.platform.json;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class MappersTest {

    record State(String stableVersion, int weight) {
    }

    @Test
    void whatAnotherSystemSendsIsReadLeniently() throws Exception {
        State state = Mappers.lenient().readValue(
                "{\"stableVersion\":\"1.4.0\",\"weight\":\"25\",\"addedLater\":{\"x\":1}}", State.class);
        assertEquals(new State("1.4.0", 25), state, "an unknown field is ignored, \"25\" is 25");
        JsonNode twice = Mappers.lenient().readTree("{\"status\":\"up\",\"status\":\"down\"}");
        assertEquals("down", twice.path("status").asText(), "a key given twice is the last, not an error");
    }

    @Test
    void whatRollwatchSendsIsPlainCompactJson() throws Exception {
        assertEquals("{\"stableVersion\":\"1.4.0\",\"weight\":25}",
                Mappers.lenient().writeValueAsString(new State("1.4.0", 25)));
        assertSame(Mappers.lenient(), Mappers.lenient(), "one shared mapper");
    }
}
