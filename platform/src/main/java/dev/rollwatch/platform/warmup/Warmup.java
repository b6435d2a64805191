package dev.rollwatch.platform.warmup;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.EventType;
import dev.rollwatch.events.Topics;
import dev.rollwatch.platform.inbox.Inbox;
import dev.rollwatch.platform.messaging.TopicStartup;
import dev.rollwatch.platform.outbox.Outbox;
import dev.rollwatch.platform.outbox.OutboxRelay;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;
import jakarta.persistence.EntityManager;
import jakarta.transaction.NotSupportedException;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs the hot path once before it is needed (issue 16: the first breach after a start took 1.2–1.5 s to a
 * rollback request, the later ones 0.2 s). Right after start-up, on a thread of its own, it
 * <ol>
 *   <li>fetches the partition metadata of every contract topic through the outbox's producer (a producer's first send
 *       to a topic waits for that round trip);</li>
 *   <li>sends a few records to {@link Topics#PRODUCER_WARMUP} through the outbox's emitter, one after the other, each
 *       acknowledged before the next (the first real event was the first send: SmallRye's sink, the producer's batch
 *       and sender, the broker and the callbacks ran cold, 60–280 ms more than later events); only if that topic
 *       exists, and nothing reads it;</li>
 *   <li>decodes and re-encodes every golden event of the contract (Jackson's serializers for every event record);</li>
 *   <li>claims an inbox entry and writes an outbox row in a transaction that is flushed (the statements run) and then
 *       rolled back (Hibernate, the JDBC pool, the transaction manager; nothing is published, nothing stays);</li>
 *   <li>runs the service's own {@link WarmupTask}s (its decision or evaluation code).</li>
 * </ol>
 * Each is repeated {@code rollwatch.warmup.iterations} times; a failing step is logged and skipped (a warm-up
 * never stops a service). Readiness waits for it ({@link WarmupReadiness}), up to
 * {@code rollwatch.warmup.readiness-timeout}: a load balancer or orchestrator then sends the first request to a warm
 * service, and the first breach after a start is as fast as the later ones (issue 16). Kafka consumers do not wait for
 * readiness: an event that arrives during the warm-up is handled at once, only slower.
 */
@ApplicationScoped
public class Warmup {

    private static final Logger LOG = Logger.getLogger(Warmup.class);
    private static final String GOLDEN = "golden/v1/";
    /** The ids of the warm-up's own (rolled-back) inbox claim and outbox row. */
    public static final String ID_PREFIX = "rollwatch-warmup-";

    private final boolean enabled;
    private final int iterations;
    private final KafkaClientService kafka;
    private final Inbox inbox;
    private final Outbox outbox;
    private final Instance<WarmupTask> tasks;
    private final OutboxRelay relay;
    private final TopicStartup topics;
    private final String application;
    private volatile Map<String, Long> took = Map.of();
    private volatile long startedNanos;
    private volatile boolean finished;

    public Warmup(@ConfigProperty(name = "rollwatch.warmup.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "rollwatch.warmup.iterations", defaultValue = "200") int iterations,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "rollwatch") String application,
            KafkaClientService kafka, Inbox inbox, Outbox outbox, Instance<WarmupTask> tasks, OutboxRelay relay,
            TopicStartup topics) {
        this.enabled = enabled;
        this.iterations = Math.max(1, iterations);
        this.kafka = kafka;
        this.inbox = inbox;
        this.outbox = outbox;
        this.tasks = tasks;
        this.relay = relay;
        this.topics = topics;
        this.application = application;
    }

    /** After the channels are wired (they are at the default priority). */
    void start(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 1000) StartupEvent event) {
        if (!enabled) {
            return;
        }
        startedNanos = System.nanoTime();
        Thread thread = new Thread(this::run, "rollwatch-warmup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    /** Each step's duration in ms once the warm-up has run (empty before, or when disabled). */
    public Map<String, Long> took() {
        return took;
    }

    /** Whether it runs at start-up at all ({@code rollwatch.warmup.enabled}). */
    public boolean enabled() {
        return enabled;
    }

    /**
     * How long the warm-up has been running (zero before its thread started), or empty once it is over — done,
     * whatever its steps did — or when it is disabled.
     */
    public Optional<Duration> running() {
        if (!enabled || finished) {
            return Optional.empty();
        }
        long started = startedNanos;
        return Optional.of(started == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - started));
    }

    void run() {
        Map<String, Long> durations = new LinkedHashMap<>();
        long all = System.nanoTime();
        try {
            step(durations, "topic metadata", this::topicMetadata, 1);
            if (kafkaOutbox() && topics.warmupTopicExists()) {
                step(durations, "Kafka sends (" + Topics.PRODUCER_WARMUP + ")", this::send,
                        Math.max(1, iterations / 10));
            }
            List<byte[]> golden = golden();
            step(durations, "event codec (" + golden.size() + " events)", () -> codec(golden), iterations);
            step(durations, "inbox and outbox (rolled back)", this::database, Math.max(1, iterations / 10));
            for (WarmupTask task : tasks) {
                step(durations, task.name(), task::run, iterations);
            }
            took = Map.copyOf(durations);
            LOG.infof("warm-up done in %d ms: %s", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - all),
                    durations);
        } finally {
            finished = true; // readiness stops waiting, even if something above threw
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void step(Map<String, Long> durations, String name, Step step, int times) {
        long started = System.nanoTime();
        try {
            for (int i = 0; i < times; i++) {
                step.run();
            }
            durations.put(name, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (Exception | LinkageError e) {
            LOG.warnf("warm-up step '%s' skipped: %s", name, e.toString());
        }
    }

    private boolean kafkaOutbox() {
        return kafka.getProducerChannels().contains(OutboxRelay.CHANNEL);
    }

    private void send() {
        byte[] record = ("{\"warmup\":\"" + application + "\",\"at\":\"" + Instant.now() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        relay.sendWarmup(application, record).await().atMost(Duration.ofSeconds(10));
    }

    private void topicMetadata() {
        if (!kafkaOutbox()) {
            return;
        }
        KafkaProducer<Object, Object> producer = kafka.getProducer(OutboxRelay.CHANNEL);
        for (String topic : Topics.ALL) {
            producer.partitionsFor(topic).await().atMost(Duration.ofSeconds(10));
        }
    }

    private static void codec(List<byte[]> golden) {
        for (byte[] bytes : golden) {
            Envelope<EventData> event = EventCodec.decode(bytes);
            EventCodec.encode(event);
        }
    }

    private void database() {
        inRolledBackTransaction(() -> {
            String id = ID_PREFIX + UUID.randomUUID();
            inbox.claim("rollwatch-warmup", "/rollwatch/warmup", id, "dev.rollwatch.warmup");
            List<byte[]> one = golden();
            if (!one.isEmpty()) {
                outbox.publish(EventCodec.decode(one.get(0)).withId(id));
            }
        });
    }

    /**
     * Runs {@code work} in a new transaction, flushes it (the INSERTs and UPDATEs it queued are executed) and then
     * rolls it back, whatever happens: nothing it wrote stays, and the outbox publishes nothing (the relay hands
     * events over only after a commit).
     */
    public static void inRolledBackTransaction(Runnable work) {
        TransactionManager transactions = Arc.container().instance(TransactionManager.class).get();
        try {
            transactions.begin();
        } catch (NotSupportedException | SystemException e) {
            throw new IllegalStateException("cannot begin a warm-up transaction: " + e, e);
        }
        try {
            work.run();
            // Run the statements the work queued (Hibernate writes at flush): the INSERTs and UPDATEs of the real
            // path, executed and then rolled back with the rest.
            Arc.container().instance(EntityManager.class).get().flush();
        } finally {
            try {
                transactions.rollback();
            } catch (SystemException | IllegalStateException e) {
                LOG.debugf("warm-up transaction rollback: %s", e);
            }
        }
    }

    private static volatile List<byte[]> goldenEvents;

    /** The contract's golden event of a type with a fresh id and subject: for a service's own {@link WarmupTask}. */
    public static <T extends EventData> Envelope<T> goldenEvent(EventType type, Class<T> data) {
        ClassLoader loader = Warmup.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(GOLDEN + type.type() + ".json")) {
            if (in == null) {
                throw new IllegalStateException("no golden event " + type.type() + " on the class path");
            }
            Envelope<EventData> e = EventCodec.decode(in.readAllBytes());
            String subject = UUID.randomUUID().toString();
            return new Envelope<>(UUID.randomUUID().toString(), e.source(), e.type(), subject, e.time(), null,
                    subject, subject, data.cast(e.data()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The contract's golden event of every type ({@code golden/v1/<type>.json} from the events jar; the events
     * module's tests keep one for every type), read once from the class path.
     */
    static List<byte[]> golden() {
        List<byte[]> events = goldenEvents;
        if (events != null) {
            return events;
        }
        List<byte[]> read = new ArrayList<>();
        ClassLoader loader = Warmup.class.getClassLoader();
        for (EventType type : EventType.values()) {
            try (InputStream in = loader.getResourceAsStream(GOLDEN + type.type() + ".json")) {
                if (in != null) {
                    read.add(in.readAllBytes());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        goldenEvents = List.copyOf(read);
        return goldenEvents;
    }
}
