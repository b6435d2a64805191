package dev.rollwatch.audit.domain;

import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventHeader;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class StorableCheckTest {

    private static final String TOPIC = "notification-outcomes";

    private static EventHeader header(String id, String subject, Instant time, String causation) {
        return new EventHeader(id, "/rollwatch/notifier-service", "dev.rollwatch.notification.delivered.v1", subject,
                time, causation, "corr", null);
    }

    @Test
    void anOrdinaryHeaderIsStorable() {
        assertThat(StorableCheck.refusal(TOPIC, header("id-1", "dep-1", Instant.now(), null))).isEmpty();
        assertThat(StorableCheck.refusal(TOPIC, header("a".repeat(255), "dép-😀", StorableCheck.LATEST, null)))
                .isEmpty();
        assertThat(StorableCheck.refusal(TOPIC, header("id", "😀".repeat(255), StorableCheck.EARLIEST, null)))
                .as("255 characters, each two UTF-16 units").isEmpty();
    }

    @Test
    void aNulCharacterInAnyStoredTextIsRefused() {
        assertThat(StorableCheck.refusal(TOPIC, header("id-1", "dep\u0000x", null, null)))
                .contains("attribute 'subject' contains a NUL character (at 3)");
        assertThat(StorableCheck.refusal(TOPIC, header("id\u0000", "dep", null, null))).get().asString()
                .contains("'id'").contains("NUL");
        assertThat(StorableCheck.refusal(TOPIC, header("id", "dep", null, "\u0000"))).get().asString()
                .contains("'causationid'");
        assertThat(StorableCheck.refusal("top\u0000ic", header("id", "dep", null, null))).get().asString()
                .contains("'topic'");
    }

    @Test
    void anUnpairedSurrogateIsRefused() {
        assertThat(StorableCheck.refusal(TOPIC, header("id", "x\uD800", null, null)))
                .contains("attribute 'subject' contains an unpaired surrogate (at 1)");
        assertThat(StorableCheck.refusal(TOPIC, header("id", "\uDC00x", null, null))).isPresent();
    }

    @Test
    void aFieldOverItsColumnLengthIsRefused() {
        assertThat(StorableCheck.refusal(TOPIC, header("a".repeat(256), "dep", null, null)))
                .contains("attribute 'id' is 256 characters long, longer than 255");
        assertThat(StorableCheck.refusal(TOPIC, header("id", "😀".repeat(256), null, null))).isPresent();
    }

    @Test
    void aTimeOutsideTheYearsOneTo9999IsRefused() {
        assertThat(StorableCheck.refusal(TOPIC, header("id", "dep", Instant.parse("+10000-01-01T00:00:00Z"), null)))
                .contains("attribute 'time' +10000-01-01T00:00:00Z is outside the years 1 to 9999 the log stores");
        assertThat(StorableCheck.refusal(TOPIC, header("id", "dep", StorableCheck.LATEST.plusNanos(1), null)))
                .isPresent();
        assertThat(StorableCheck.refusal(TOPIC, header("id", "dep", Instant.parse("-0001-12-31T23:59:59Z"), null)))
                .isPresent();
    }

    @Test
    void theCheckSeesWhatTheCodecDecodesFromTheBytes() {
        String json = "{\"specversion\":\"1.0\",\"id\":\"i\",\"source\":\"/rollwatch/notifier-service\","
                + "\"type\":\"t\",\"subject\":\"a\\u0000b\",\"time\":\"+10000-01-01T00:00:00Z\"}";
        EventHeader decoded = EventCodec.decodeHeader(json.getBytes(StandardCharsets.UTF_8));
        assertThat(StorableCheck.refusal(TOPIC, decoded)).get().asString().contains("NUL");
    }
}
