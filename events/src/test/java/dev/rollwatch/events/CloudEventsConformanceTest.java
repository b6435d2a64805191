package dev.rollwatch.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.events.GoldenFixtures.Fixture;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every stored event is a valid CloudEvent to the CloudEvents SDK, and the SDK reads the same context attributes
 * and extensions as {@link EventCodec}: a consumer written against any CloudEvents library sees the same event.
 */
class CloudEventsConformanceTest {

    private static final EventFormat FORMAT =
            EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);

    static List<Fixture> fixtures() {
        return GoldenFixtures.all();
    }

    @Test
    void contentTypeIsTheCloudEventsStructuredJsonOne() {
        assertThat(FORMAT).as("SDK JSON format").isNotNull();
        assertThat(EventCodec.CONTENT_TYPE).isEqualTo(JsonFormat.CONTENT_TYPE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void sdkReadsTheSameAttributesAsTheCodec(Fixture fixture) throws IOException {
        CloudEvent sdk = FORMAT.deserialize(fixture.bytes());
        Envelope<EventData> ours = EventCodec.decode(fixture.bytes());

        assertThat(sdk.getSpecVersion()).isEqualTo(SpecVersion.V1);
        assertThat(sdk.getId()).isEqualTo(ours.id());
        assertThat(sdk.getSource()).hasToString(ours.source());
        assertThat(sdk.getType()).isEqualTo(ours.type().type());
        assertThat(sdk.getSubject()).isEqualTo(ours.subject());
        assertThat(sdk.getTime().toInstant()).isEqualTo(ours.time());
        assertThat(sdk.getDataContentType()).isEqualTo(EventCodec.DATA_CONTENT_TYPE);

        Map<String, Object> extensions = new HashMap<>();
        for (String name : sdk.getExtensionNames()) {
            extensions.put(name, sdk.getExtension(name));
        }
        Map<String, Object> expected = new HashMap<>();
        putIfPresent(expected, "causationid", ours.causationId());
        putIfPresent(expected, "correlationid", ours.correlationId());
        putIfPresent(expected, "partitionkey", ours.partitionKey());
        assertThat(extensions).isEqualTo(expected);

        JsonNode sdkData = EventCodec.mapper().readTree(sdk.getData().toBytes());
        assertThat(sdkData).isEqualTo(fixture.data());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void anEventTheSdkWritesIsReadByTheCodecAsTheSameEvent(Fixture fixture) {
        CloudEvent sdk = FORMAT.deserialize(fixture.bytes());

        byte[] writtenBySdk = FORMAT.serialize(sdk);

        assertThat(EventCodec.decode(writtenBySdk)).isEqualTo(EventCodec.decode(fixture.bytes()));
    }

    private static void putIfPresent(Map<String, Object> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
