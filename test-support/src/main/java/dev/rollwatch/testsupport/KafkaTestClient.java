package dev.rollwatch.testsupport;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.InvalidEventException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Plain Kafka clients for tests: put events or poison on a topic, and wait for what services publish. */
public final class KafkaTestClient implements AutoCloseable {

    private final String bootstrap;
    private final KafkaProducer<String, byte[]> producer;

    public KafkaTestClient(String bootstrap) {
        this.bootstrap = bootstrap;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    public static KafkaTestClient forTestBroker() {
        return new KafkaTestClient(TestKafka.bootstrapServers());
    }

    /** Publish an event as a producer service would: its topic, its key, canonical bytes. */
    public void send(Envelope<?> event) {
        send(event.topic(), event.key(), EventCodec.encode(event));
    }

    public void send(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to " + topic, e);
        }
    }

    /** Every record on {@code topic} from the beginning, until one matches {@code until} or the timeout ends. */
    public List<ConsumerRecord<String, byte[]>> awaitRecords(String topic, Predicate<ConsumerRecord<String, byte[]>> until,
            Duration timeout) {
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = newConsumer()) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(r);
                    if (until.test(r)) {
                        return seen;
                    }
                }
            }
        }
        throw new AssertionError("no matching record on " + topic + " within " + timeout + "; saw " + seen.size());
    }

    /** Wait for an event of {@code dataClass} about {@code subject} on its topic. */
    public <T extends EventData> Envelope<T> awaitEvent(String topic, String subject, Class<T> dataClass,
            Duration timeout) {
        List<ConsumerRecord<String, byte[]>> records = awaitRecords(topic, r -> matches(r, subject, dataClass),
                timeout);
        return EventCodec.decode(records.get(records.size() - 1).value()).as(dataClass);
    }

    /** All events about {@code subject} currently on {@code topic} (reads until the end of the topic). */
    public List<Envelope<EventData>> eventsAbout(String topic, String subject) {
        List<Envelope<EventData>> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = newConsumer()) {
            consumer.subscribe(List.of(topic));
            int emptyPolls = 0;
            while (emptyPolls < 5) {
                var batch = consumer.poll(Duration.ofMillis(300));
                if (batch.isEmpty()) {
                    emptyPolls++;
                }
                for (ConsumerRecord<String, byte[]> r : batch) {
                    if (subject.equals(r.key())) {
                        events.add(EventCodec.decode(r.value()));
                    }
                }
            }
        }
        return events;
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static boolean matches(ConsumerRecord<String, byte[]> r, String subject, Class<?> dataClass) {
        if (!subject.equals(r.key())) {
            return false;
        }
        try {
            return dataClass.isInstance(EventCodec.decode(r.value()).data());
        } catch (InvalidEventException e) {
            return false;
        }
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
