package dev.rollwatch.platform.messaging;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Consumers wait out a broker outage; producers and channels that chose their own timeout are left alone. */
class ConsumerDefaultsTest {

    private final ConsumerDefaults defaults = new ConsumerDefaults(Duration.ofMinutes(10));

    @Test
    void aConsumerWaitsTenMinutesForTheBroker() {
        Map<String, Object> consumer = Map.of("group.id", "monitor-service", "bootstrap.servers", "127.0.0.1:9092",
                "key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
                "value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        assertThat(defaults.customize("step-started", null, consumer)).containsEntry("default.api.timeout.ms", 600_000)
                .containsEntry("group.id", "monitor-service");
    }

    @Test
    void producersAndExplicitSettingsAreLeftAlone() {
        Map<String, Object> producer = Map.of("bootstrap.servers", "127.0.0.1:9092",
                "key.serializer", "org.apache.kafka.common.serialization.StringSerializer",
                "value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        assertThat(defaults.customize("rollwatch-outbox", null, producer)).isEqualTo(producer);
        Map<String, Object> explicit = Map.of("group.id", "g", "value.deserializer", "x",
                "default.api.timeout.ms", 5_000);
        assertThat(defaults.customize("c", null, explicit)).containsEntry("default.api.timeout.ms", 5_000);
    }

    @Test
    void everyConsumerTimesItsRecordsAndKeepsTheInterceptorsItHad() {
        Map<String, Object> consumer = Map.of("group.id", "g", "value.deserializer", "x");
        assertThat(defaults.customize("c", null, consumer))
                .containsEntry("interceptor.classes", ConsumerTiming.class.getName());
        Map<String, Object> withOwn = Map.of("group.id", "g", "value.deserializer", "x",
                "interceptor.classes", "com.example.Tracing");
        assertThat(defaults.customize("c", null, withOwn))
                .containsEntry("interceptor.classes", "com.example.Tracing," + ConsumerTiming.class.getName());
        Map<String, Object> asList = Map.of("group.id", "g", "value.deserializer", "x",
                "interceptor.classes", java.util.List.of("com.example.Tracing"));
        assertThat(defaults.customize("c", null, asList))
                .containsEntry("interceptor.classes", java.util.List.of("com.example.Tracing",
                        ConsumerTiming.class.getName()));
    }
}
