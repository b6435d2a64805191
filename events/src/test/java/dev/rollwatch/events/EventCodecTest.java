package dev.rollwatch.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollwatch.events.kafka.CloudEventDeserializer;
import dev.rollwatch.events.kafka.CloudEventSerializer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a producer and a consumer of the contract see of {@link EventCodec} and the Kafka serde. */
class EventCodecTest {

    private static final String DEPLOYMENT = "5f0c9a3e-2b7d-4e61-9a8f-3c4d2e1b0a97";

    private final CloudEventSerializer serializer = new CloudEventSerializer();
    private final CloudEventDeserializer deserializer = new CloudEventDeserializer();

    private static ThresholdBreached breach() {
        return new ThresholdBreached("checkout", "production", "2.4.0", "error-rate", "error_rate", null,
                List.of(0.0187, 0.0342), 0.01, Operator.GT, Duration.ofSeconds(30), Severity.P1, 2, 2,
                Instant.parse("2026-03-02T14:01:02.250Z"), null);
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode fixture(EventType type) {
        return GoldenFixtures.primary(type).tree();
    }

    private static byte[] bytes(ObjectNode event) {
        return json(event.toString());
    }

    @Test
    void newEventRoundTrips() {
        Envelope<ThresholdBreached> event = Envelope.of(Envelope.source("monitor-service"), DEPLOYMENT, breach());

        Envelope<EventData> decoded = EventCodec.decode(EventCodec.encode(event));

        assertThat(decoded).isEqualTo(event);
        assertThat(decoded.type()).isEqualTo(EventType.THRESHOLD_BREACHED);
        assertThat(decoded.as(ThresholdBreached.class).data().observed()).containsExactly(0.0187, 0.0342);
    }

    @Test
    void newEventHasAFreshUuidAndIsKeyedAndCorrelatedByItsDeployment() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Envelope<ThresholdBreached> event = Envelope.of(Envelope.source("monitor-service"), DEPLOYMENT, breach());

        assertThat(UUID.fromString(event.id())).isNotNull();
        assertThat(Envelope.of(Envelope.source("monitor-service"), DEPLOYMENT, breach()).id())
                .isNotEqualTo(event.id());
        assertThat(event.source()).isEqualTo("/rollwatch/monitor-service");
        assertThat(event.subject()).isEqualTo(DEPLOYMENT);
        assertThat(event.correlationId()).isEqualTo(DEPLOYMENT);
        assertThat(event.key()).isEqualTo(DEPLOYMENT);
        assertThat(event.topic()).isEqualTo(Topics.THRESHOLD_BREACHED);
        assertThat(event.time()).isAfterOrEqualTo(before);
    }

    @Test
    void encodingIsCanonical() {
        Envelope<StepStarted> event = new Envelope<>("e1", Envelope.source("deploy-service"), null, DEPLOYMENT,
                Instant.parse("2026-03-02T14:00:15.302118Z"), null, DEPLOYMENT, DEPLOYMENT,
                new StepStarted(2, StepKind.ANALYSIS, null, Instant.parse("2026-03-02T14:02:15Z")));

        String text = new String(EventCodec.encode(event), StandardCharsets.UTF_8);

        assertThat(text).isEqualTo("{\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"/rollwatch/deploy-service\","
                + "\"type\":\"dev.rollwatch.step.started.v1\",\"subject\":\"" + DEPLOYMENT + "\","
                + "\"time\":\"2026-03-02T14:00:15.302118Z\",\"datacontenttype\":\"application/json\","
                + "\"correlationid\":\"" + DEPLOYMENT + "\",\"partitionkey\":\"" + DEPLOYMENT + "\","
                + "\"data\":{\"deadline\":\"2026-03-02T14:02:15Z\",\"kind\":\"ANALYSIS\",\"stepIndex\":2}}");
        assertThat(EventCodec.encode(EventCodec.decode(json(text)))).isEqualTo(json(text));
    }

    @Test
    void durationsAndInstantsAreIsoStrings() {
        Envelope<ThresholdBreached> event = Envelope.of(Envelope.source("monitor-service"), DEPLOYMENT, breach());

        String text = new String(EventCodec.encode(event), StandardCharsets.UTF_8);

        assertThat(text).contains("\"window\":\"PT30S\"", "\"observedAt\":\"2026-03-02T14:01:02.250Z\"",
                "\"operator\":\"GT\"", "\"severity\":\"P1\"");
        assertThat(text).doesNotContain("null", "\"query\"", "\"stepIndex\"");
    }

    @Test
    void causedBySetsCausationAndKeepsTheCausesCorrelation() {
        Envelope<ThresholdBreached> breach = Envelope.of(Envelope.source("monitor-service"), DEPLOYMENT, breach());
        Envelope<RollbackRequested> request = Envelope.of(Envelope.source("rollback-service"), DEPLOYMENT,
                new RollbackRequested("checkout", "production", Trigger.AUTOMATIC, "P1 error-rate breached",
                        List.of(breach.id()), "p1-immediate", 1, "2.4.0", "2.3.1", "rollback-service",
                        breach.data().observedAt()));

        Envelope<RollbackRequested> caused = request.causedBy(breach);

        assertThat(caused.causationId()).isEqualTo(breach.id());
        assertThat(caused.correlationId()).isEqualTo(breach.correlationId());
        assertThat(caused.id()).isEqualTo(request.id());
        Envelope<EventData> decoded = EventCodec.decode(EventCodec.encode(caused));
        assertThat(decoded.causationId()).isEqualTo(breach.id());
        assertThat(decoded.correlationId()).isEqualTo(DEPLOYMENT);
    }

    @Test
    void causedByTakesTheCausesCorrelationEvenWhenItIsARequestId() {
        DeploymentAborted abort = new DeploymentAborted("dave", Instant.parse("2026-03-04T16:20:11.728Z"), null);
        Envelope<DeploymentAborted> cause = new Envelope<>("cause-1", Envelope.source("deploy-service"), null,
                DEPLOYMENT, Instant.parse("2026-03-04T16:20:11.730Z"), null, "req-42", DEPLOYMENT, abort);
        Envelope<DeploymentAborted> effect = Envelope.of(Envelope.source("deploy-service"), DEPLOYMENT, abort);

        Envelope<DeploymentAborted> caused = effect.causedBy(cause);

        assertThat(caused.causationId()).isEqualTo("cause-1");
        assertThat(caused.correlationId()).isEqualTo("req-42");
        assertThat(caused.key()).as("still keyed by the deployment").isEqualTo(DEPLOYMENT);
    }

    @Test
    void emptyBytesAreRejected() {
        assertThatThrownBy(() -> EventCodec.decode(new byte[0]))
                .isInstanceOf(InvalidEventException.class).hasMessage("empty record");
        assertThatThrownBy(() -> EventCodec.decode(null))
                .isInstanceOf(InvalidEventException.class).hasMessage("empty record");
    }

    @Test
    void nonJsonIsRejected() {
        assertThatThrownBy(() -> EventCodec.decode(json("deployment started!")))
                .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("not JSON: ");
        assertThatThrownBy(() -> EventCodec.decode(json("{\"specversion\":\"1.0\",")))
                .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("not JSON: ");
    }

    @Test
    void jsonThatIsNotAnObjectIsRejected() {
        assertThatThrownBy(() -> EventCodec.decode(json("[{\"specversion\":\"1.0\"}]")))
                .isInstanceOf(InvalidEventException.class).hasMessage("not a JSON object");
        assertThatThrownBy(() -> EventCodec.decode(json("\"event\"")))
                .isInstanceOf(InvalidEventException.class).hasMessage("not a JSON object");
    }

    @Test
    void missingIdIsRejected() {
        ObjectNode event = fixture(EventType.STEP_STARTED);
        event.remove("id");

        assertThatThrownBy(() -> EventCodec.decode(bytes(event)))
                .isInstanceOf(InvalidEventException.class).hasMessage("CloudEvent attribute 'id' is required");
    }

    @Test
    void missingSourceOrTypeIsRejected() {
        ObjectNode noSource = fixture(EventType.STEP_STARTED);
        noSource.remove("source");
        ObjectNode blankType = fixture(EventType.STEP_STARTED);
        blankType.put("type", "");

        assertThatThrownBy(() -> EventCodec.decode(bytes(noSource)))
                .isInstanceOf(InvalidEventException.class).hasMessage("CloudEvent attribute 'source' is required");
        assertThatThrownBy(() -> EventCodec.decode(bytes(blankType)))
                .isInstanceOf(InvalidEventException.class).hasMessage("CloudEvent attribute 'type' is required");
    }

    @Test
    void wrongSpecVersionIsRejected() {
        ObjectNode event = fixture(EventType.STEP_STARTED);
        event.put("specversion", "0.3");
        ObjectNode missing = fixture(EventType.STEP_STARTED);
        missing.remove("specversion");

        assertThatThrownBy(() -> EventCodec.decode(bytes(event)))
                .isInstanceOf(InvalidEventException.class).hasMessage("specversion must be 1.0, was 0.3");
        assertThatThrownBy(() -> EventCodec.decode(bytes(missing)))
                .isInstanceOf(InvalidEventException.class).hasMessage("specversion must be 1.0, was null");
    }

    @Test
    void nonStringAttributeIsRejected() {
        ObjectNode event = fixture(EventType.STEP_STARTED);
        event.put("id", 42);

        assertThatThrownBy(() -> EventCodec.decode(bytes(event)))
                .isInstanceOf(InvalidEventException.class).hasMessage("CloudEvent attribute 'id' must be a string");
    }

    @Test
    void invalidTimeIsRejected() {
        ObjectNode event = fixture(EventType.STEP_STARTED);
        event.put("time", "yesterday");

        assertThatThrownBy(() -> EventCodec.decode(bytes(event)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("invalid time 'yesterday'")
                .hasMessageContaining(event.get("id").asText());
    }

    @Test
    void unknownTypeIsRejectedByDecodeButReadByDecodeHeader() {
        ObjectNode event = fixture(EventType.STEP_STARTED);
        event.put("type", "dev.rollwatch.step.paused.v1");
        event.putObject("data").put("stepIndex", 3).put("pausedBy", "carol");

        assertThatThrownBy(() -> EventCodec.decode(bytes(event)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("unknown event type 'dev.rollwatch.step.paused.v1'");

        EventHeader header = EventCodec.decodeHeader(bytes(event));
        assertThat(header.type()).isEqualTo("dev.rollwatch.step.paused.v1");
        assertThat(header.knownType()).isEmpty();
        assertThat(header.id()).isEqualTo(event.get("id").asText());
        assertThat(header.source()).isEqualTo("/rollwatch/deploy-service");
        assertThat(header.subject()).isEqualTo(event.get("subject").asText());
        assertThat(header.time()).isEqualTo(Instant.parse(event.get("time").asText()));
        assertThat(header.causationId()).isEqualTo(event.get("causationid").asText());
        assertThat(header.correlationId()).isEqualTo(event.get("correlationid").asText());
        assertThat(header.partitionKey()).isEqualTo(event.get("partitionkey").asText());
    }

    @Test
    void decodeHeaderOfAKnownTypeKnowsIt() {
        EventHeader header = EventCodec.decodeHeader(GoldenFixtures.primary(EventType.ROLLBACK_REQUESTED).bytes());

        assertThat(header.knownType()).contains(EventType.ROLLBACK_REQUESTED);
    }

    @Test
    void missingDataIsRejected() {
        ObjectNode event = fixture(EventType.STEP_STARTED);
        event.remove("data");
        ObjectNode stringData = fixture(EventType.STEP_STARTED);
        stringData.put("data", "{\"stepIndex\":2}");

        assertThatThrownBy(() -> EventCodec.decode(bytes(event)))
                .isInstanceOf(InvalidEventException.class).hasMessageEndingWith("has no data object");
        assertThatThrownBy(() -> EventCodec.decode(bytes(stringData)))
                .isInstanceOf(InvalidEventException.class).hasMessageEndingWith("has no data object");
    }

    @Test
    void dataMissingARequiredTextFieldIsRejectedNamingTheField() {
        ObjectNode event = fixture(EventType.DEPLOYMENT_STARTED);
        ((ObjectNode) event.get("data")).remove("service");

        assertThatThrownBy(() -> EventCodec.decode(bytes(event)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("event " + event.get("id").asText()
                        + " (dev.rollwatch.deployment.started.v1) has invalid data: service is required");
    }

    @Test
    void dataWithABlankRequiredFieldIsRejected() {
        ObjectNode event = fixture(EventType.DEPLOYMENT_ABORTED);
        ((ObjectNode) event.get("data")).put("abortedBy", "  ");

        assertThatThrownBy(() -> EventCodec.decode(bytes(event)))
                .isInstanceOf(InvalidEventException.class).hasMessageEndingWith("abortedBy is required");
    }

    @Test
    void dataMissingANumberIsRejectedNamingTheField() {
        ObjectNode event = fixture(EventType.THRESHOLD_BREACHED);
        ((ObjectNode) event.get("data")).remove("threshold");

        assertThatThrownBy(() -> EventCodec.decode(bytes(event)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("(dev.rollwatch.threshold.breached.v1) has invalid data at threshold: ");
    }

    @Test
    void invalidNestedDataIsRejectedWithItsPath() {
        ObjectNode event = fixture(EventType.DEPLOYMENT_STARTED);
        ((ObjectNode) event.get("data").get("steps").get(3)).put("weight", 140);

        assertThatThrownBy(() -> EventCodec.decode(bytes(event)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("has invalid data at steps[3]: ")
                .hasMessageContaining("setWeight needs a weight between 0 and 100, was 140");
    }

    @Test
    void unknownEnumValueIsRejected() {
        ObjectNode event = fixture(EventType.THRESHOLD_BREACHED);
        ((ObjectNode) event.get("data")).put("severity", "P4");

        assertThatThrownBy(() -> EventCodec.decode(bytes(event)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("has invalid data at severity: ")
                .hasMessageContaining("\"P4\"");
    }

    @Test
    void negativeStepIndexIsRejected() {
        ObjectNode event = fixture(EventType.STEP_COMPLETED);
        ((ObjectNode) event.get("data")).put("stepIndex", -1);

        assertThatThrownBy(() -> EventCodec.decode(bytes(event)))
                .isInstanceOf(InvalidEventException.class).hasMessageEndingWith("stepIndex must be >= 0, was -1");
    }

    @Test
    void newerProducersUnknownFieldsAreTolerated() {
        ObjectNode event = fixture(EventType.DEPLOYMENT_STARTED);
        ObjectNode data = (ObjectNode) event.get("data");
        data.put("rolloutRegion", "eu-west-1");
        ((ObjectNode) data.get("target")).put("namespace", "shop");
        ((ObjectNode) data.get("steps").get(0)).putObject("matchHeaders").put("x-canary", "true");
        event.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        Envelope<EventData> decoded = EventCodec.decode(bytes(event));

        assertThat(decoded).isEqualTo(EventCodec.decode(GoldenFixtures.primary(EventType.DEPLOYMENT_STARTED).bytes()));
    }

    @Test
    void absentOptionalFieldsAndListsGetTheirDefaults() {
        ObjectNode event = fixture(EventType.DEPLOYMENT_STARTED);
        ObjectNode data = (ObjectNode) event.get("data");
        data.remove(List.of("analysis", "steps", "previousVersion"));

        DeploymentStarted started = EventCodec.decode(bytes(event)).as(DeploymentStarted.class).data();

        assertThat(started.steps()).isEmpty();
        assertThat(started.analysis().checks()).isEmpty();
        assertThat(started.previousVersion()).isNull();
    }

    @Test
    void dataOfAnotherTypeIsRefusedWhenBuildingAnEnvelope() {
        assertThatThrownBy(() -> new Envelope<>("e1", "/rollwatch/monitor-service", EventType.STEP_STARTED,
                DEPLOYMENT, null, null, null, null, breach()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match");
    }

    // --- Kafka serde -------------------------------------------------------------------------------------

    @Test
    void kafkaSerializerWritesTheCanonicalBytesAndTheContentTypeHeader() {
        Envelope<ThresholdBreached> event = Envelope.of(Envelope.source("monitor-service"), DEPLOYMENT, breach());
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventSerializer.CONTENT_TYPE_HEADER, json("application/json"));

        byte[] value = serializer.serialize(Topics.THRESHOLD_BREACHED, headers, event);

        assertThat(value).isEqualTo(EventCodec.encode(event));
        List<String> contentTypes = new ArrayList<>();
        for (Header header : headers.headers(CloudEventSerializer.CONTENT_TYPE_HEADER)) {
            contentTypes.add(new String(header.value(), StandardCharsets.UTF_8));
        }
        assertThat(contentTypes).containsExactly("application/cloudevents+json");
    }

    @Test
    void kafkaDeserializerReadsWhatTheSerializerWrote() {
        Envelope<ThresholdBreached> event = Envelope.of(Envelope.source("monitor-service"), DEPLOYMENT, breach());
        RecordHeaders headers = new RecordHeaders();

        byte[] value = serializer.serialize(Topics.THRESHOLD_BREACHED, headers, event);

        assertThat(deserializer.deserialize(Topics.THRESHOLD_BREACHED, headers, value)).isEqualTo(event);
    }

    @Test
    void kafkaTombstonesStayNull() {
        assertThat(serializer.serialize(Topics.THRESHOLD_BREACHED, new RecordHeaders(), null)).isNull();
        assertThat(deserializer.deserialize(Topics.THRESHOLD_BREACHED, null)).isNull();
    }

    @Test
    void kafkaPoisonRecordFailsWithASerializationExceptionNamingTopicAndReason() {
        assertThatThrownBy(() -> deserializer.deserialize(Topics.STEP_COMPLETED, json("not an event")))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("record on step-completed is not a Rollwatch event: not JSON")
                .hasCauseInstanceOf(InvalidEventException.class);

        ObjectNode unknown = fixture(EventType.STEP_COMPLETED);
        unknown.put("type", "com.example.other.v1");
        assertThatThrownBy(() -> deserializer.deserialize(Topics.STEP_COMPLETED, bytes(unknown)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown event type 'com.example.other.v1'");

        assertThatThrownBy(() -> deserializer.deserialize(Topics.STEP_COMPLETED, new byte[0]))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("empty record");
    }
}
