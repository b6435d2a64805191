package dev.rollwatch.platform.messaging;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Per topic: how long a record took from its producer to the poll, and from the poll to its handler. */
class ConsumerTimingTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void register() {
        Metrics.addRegistry(registry);
    }

    @AfterEach
    void unregister() {
        Metrics.removeRegistry(registry);
    }

    @Test
    void aRecordProducedASecondAgoWaitedASecondForThePollAndThenForItsHandler() {
        String topic = "timing-" + System.nanoTime();
        ConsumerRecord<Object, Object> record = new ConsumerRecord<>(topic, 0, 7, System.currentTimeMillis() - 1_000,
                TimestampType.CREATE_TIME, 0, 0, "key", new byte[0], new RecordHeaders(), Optional.empty());
        TopicPartition partition = new TopicPartition(topic, 0);

        new ConsumerTiming().onConsume(new ConsumerRecords<>(Map.of(partition, List.of(record)), Map.of()));
        assertThat(record.headers().lastHeader(ConsumerTiming.POLLED_AT)).isNotNull();
        assertThat(InboundEvents.isReplay(record)).isFalse();

        Timer fetch = registry.get("rollwatch.kafka.fetch.delay").tag("topic", topic).timer();
        assertThat(fetch.count()).isEqualTo(1);
        assertThat(fetch.totalTime(TimeUnit.MILLISECONDS)).isBetween(1_000.0, 60_000.0);
        Timer dispatch = registry.get("rollwatch.kafka.dispatch.delay").tag("topic", topic).timer();
        assertThat(dispatch.count()).isEqualTo(1);
        // Gone once the handler has it: a dead-lettered record carries only the headers it was produced with.
        assertThat(record.headers().lastHeader(ConsumerTiming.POLLED_AT)).isNull();
    }

    @Test
    void theChannelsTimersAreRegisteredWhenItsConsumerIsCreatedNotAtItsFirstRecord() {
        String topic = "configured-" + System.nanoTime();

        new ConsumerTiming().configure(Map.of("topics", topic + ", " + topic + "-b", "group.id", "g"));

        for (String t : List.of(topic, topic + "-b")) {
            assertThat(registry.get("rollwatch.kafka.fetch.delay").tag("topic", t).timer().count()).isZero();
            assertThat(registry.get("rollwatch.kafka.dispatch.delay").tag("topic", t).timer().count()).isZero();
        }
    }

    @Test
    void aRecordThatDidNotComeThroughThePollIsNotTimed() {
        String topic = "untimed-" + System.nanoTime();
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(topic, 0, 1, "k", new byte[0]);

        assertThat(InboundEvents.isReplay(record)).isFalse();

        assertThat(registry.find("rollwatch.kafka.dispatch.delay").tag("topic", topic).timer()).isNull();
    }
}
