package dev.rollwatch.events;

import dev.rollwatch.events.GoldenFixtures.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stored events of every contract version still parse, and this build writes them back byte for byte:
 * what the audit log hashed yesterday still verifies today.
 */
class GoldenFixturesTest {

    static List<Fixture> fixtures() {
        return GoldenFixtures.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureDecodesAndReEncodesToTheSameBytes(Fixture fixture) {
        Envelope<EventData> event = EventCodec.decode(fixture.bytes());

        byte[] reEncoded = EventCodec.encode(event);

        assertThat(new String(reEncoded, StandardCharsets.UTF_8)).isEqualTo(fixture.text());
        assertThat(reEncoded).isEqualTo(fixture.bytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureTypeMatchesItsFileNameAndDirectory(Fixture fixture) {
        Envelope<EventData> event = EventCodec.decode(fixture.bytes());

        assertThat(event.type().type()).isEqualTo(fixture.typeFromName());
        assertThat(event.data()).isInstanceOf(event.type().dataClass());
        String major = event.type().type().substring(event.type().type().lastIndexOf('.') + 1);
        assertThat(fixture.directory()).as("major-version directory of " + fixture).isEqualTo(major);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureIsARealisticRollwatchEvent(Fixture fixture) {
        Envelope<EventData> event = EventCodec.decode(fixture.bytes());

        assertThat(event.source()).startsWith("/rollwatch/");
        assertThat(event.subject()).as("subject = deployment id").isNotBlank();
        assertThat(event.key()).as("Kafka key = deployment id").isEqualTo(event.subject());
        assertThat(event.correlationId()).isNotBlank();
        assertThat(event.time()).isNotNull();
        assertThat(fixture.bytes()[fixture.bytes().length - 1]).as("no trailing newline").isEqualTo((byte) '}');
    }

    @Test
    void everyEventTypeHasAtLeastOneFixture() {
        Set<String> covered = fixtures().stream().map(Fixture::typeFromName).collect(Collectors.toSet());

        List<String> missing = Arrays.stream(EventType.values())
                .map(EventType::type)
                .filter(type -> !covered.contains(type))
                .toList();

        assertThat(missing).as("event types without a golden fixture under golden/v<major>/").isEmpty();
    }

    @Test
    void fixtureIdsAreUnique() {
        List<String> ids = fixtures().stream().map(f -> EventCodec.decodeHeader(f.bytes()).id()).toList();

        assertThat(ids).doesNotHaveDuplicates();
    }
}
