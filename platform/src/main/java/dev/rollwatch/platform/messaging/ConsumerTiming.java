package dev.rollwatch.platform.messaging;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Where an event waits between two services, per topic, on every consumer of a service ({@link ConsumerDefaults}
 * installs it as a Kafka consumer interceptor):
 * <ul>
 * <li>{@code rollwatch.kafka.fetch.delay}: the record's timestamp (set when the producer was handed the record) →
 * the consumer's poll returned it — the producer's send, the broker's append and the consumer's fetch;</li>
 * <li>{@code rollwatch.kafka.dispatch.delay}: the poll returned it → the handler began
 * ({@link InboundEvents#isReplay}, the first thing every consumer does) — the connector's queue, the hand-off to a
 * worker thread and any earlier record of the same channel still being handled.</li>
 * </ul>
 * With the producer's own publish latency ({@code rollwatch.outbox.publish.latency}) and each handler's processing
 * time, these account for a hop end to end (docs/performance.md, issue 16's target 1). The poll time travels with
 * the record as a header until the handler begins, which removes it, so a dead-letter queue never sees it (audit's
 * batch ingest, which does not go through {@link InboundEvents#isReplay}, leaves it out when it dead-letters).
 */
public class ConsumerTiming implements ConsumerInterceptor<Object, Object> {

    /** The poll time, a header on the consumed record only until its handler begins; never published. */
    public static final String POLLED_AT = "rollwatch-polled-at";
    private static final Map<String, Timer> FETCH = new ConcurrentHashMap<>();
    private static final Map<String, Timer> DISPATCH = new ConcurrentHashMap<>();

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
        long now = System.currentTimeMillis();
        long polledNanos = System.nanoTime();
        byte[] polled = ByteBuffer.allocate(Long.BYTES).putLong(polledNanos).array();
        for (ConsumerRecord<Object, Object> record : records) {
            if (record.timestamp() > 0) {
                fetchTimer(record.topic()).record(Math.max(0, now - record.timestamp()), TimeUnit.MILLISECONDS);
            }
            record.headers().remove(POLLED_AT);
            record.headers().add(POLLED_AT, polled);
        }
        return records;
    }

    /** The handler has the record now: how long it waited since the poll returned it. */
    static void handlerStarted(ConsumerRecord<?, ?> record) {
        Header polled = record.headers().lastHeader(POLLED_AT);
        if (polled == null || polled.value() == null || polled.value().length != Long.BYTES) {
            return; // not through the interceptor (a test's hand-made record)
        }
        long waited = System.nanoTime() - ByteBuffer.wrap(polled.value()).getLong();
        record.headers().remove(POLLED_AT); // a dead-lettered record keeps the headers it arrived with, and only those
        dispatchTimer(record.topic()).record(Math.max(0, waited), TimeUnit.NANOSECONDS);
    }

    private static Timer fetchTimer(String topic) {
        return timer(FETCH, "rollwatch.kafka.fetch.delay",
                "record timestamp (handed to the producer) -> returned by the consumer's poll", topic);
    }

    private static Timer dispatchTimer(String topic) {
        return timer(DISPATCH, "rollwatch.kafka.dispatch.delay", "returned by the consumer's poll -> the handler began",
                topic);
    }

    private static Timer timer(Map<String, Timer> timers, String name, String description, String topic) {
        return timers.computeIfAbsent(topic, t -> Timer.builder(name).description(description).tag("topic", t)
                .publishPercentiles(0.5, 0.99).register(Metrics.globalRegistry));
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
    }

    /**
     * Registers the channel's two timers when its consumer is created, not at its first record: registering them
     * (the percentile histograms) took 13 ms on the polling thread at the first rollback request deploy-service
     * handled (docs/performance.md, target 1). SmallRye hands the channel's attributes to the consumer with the Kafka
     * settings, among them its {@code topic} or {@code topics}; a pattern subscription registers at its first record.
     */
    @Override
    public void configure(Map<String, ?> configs) {
        for (String key : new String[] {"topic", "topics"}) {
            if (configs.get(key) instanceof String topics && !topics.isBlank()) {
                for (String topic : topics.split(",")) {
                    if (!topic.isBlank()) {
                        fetchTimer(topic.trim());
                        dispatchTimer(topic.trim());
                    }
                }
            }
        }
    }
}
