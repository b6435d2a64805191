package dev.rollwatch.monitor.service;

import dev.rollwatch.monitor.domain.Measurement;
import dev.rollwatch.monitor.domain.MeasurementOutcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code recent} ring of a check's row, appended to as text. */
class JsonTest {

    private static Measurement measurement(int i) {
        Instant at = Instant.parse("2026-12-07T22:00:00.123456Z").plusMillis(1_001L * i);
        return switch (i % 3) {
            case 0 -> new Measurement(0.001 * i, at, MeasurementOutcome.PASSED);
            case 1 -> new Measurement(null, at, MeasurementOutcome.ERROR,
                    "http://t:8080/metrics answered 503 [\"quoted\", {braces}], and a \\ backslash");
            default -> new Measurement(1e-9 * i, at, MeasurementOutcome.FAILED, "note, with ] and [");
        };
    }

    @Test
    void theRingIsTheLastElementsInOrderExactlyAsWritingTheListWouldGive() {
        String ring = "[]";
        List<Measurement> all = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Measurement m = measurement(i);
            all.add(m);
            ring = Json.appendBounded(ring, m, 20);
            List<Measurement> expected = all.subList(Math.max(0, all.size() - 20), all.size());
            assertThat(ring).as("after %d appends", i + 1).isEqualTo(Json.write(expected));
            assertThat(Json.measurements(ring)).isEqualTo(expected);
        }
    }

    @Test
    void aRingOfOneKeepsOnlyTheNewElementAndNoneKeepsNothing() {
        String two = Json.write(List.of(measurement(1), measurement(2)));
        assertThat(Json.appendBounded(two, measurement(3), 1)).isEqualTo(Json.write(List.of(measurement(3))));
        assertThat(Json.appendBounded(two, measurement(3), 0)).isEqualTo("[]");
    }

    @Test
    void storedTextThatIsNotAnArrayOfObjectsIsRefusedNotOverwritten() {
        assertThatThrownBy(() -> Json.appendBounded("{\"a\": 1}", measurement(0), 20))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not an array");
        assertThatThrownBy(() -> Json.appendBounded("[{\"value\": 1}", measurement(0), 20))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unreadable stored JSON");
        assertThatThrownBy(() -> Json.appendBounded("[{\"value\": 1}, \"text\"]", measurement(0), 20))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not an object");
    }
}
