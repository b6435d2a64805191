package dev.rollwatch.platform.outbox;

import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.Topics;
import dev.rollwatch.platform.concurrent.DaemonThreads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes outbox rows. The normal path is a post-commit hand-off: the moment a business transaction commits,
 * its events go to Kafka (acks=all, idempotent producer) and, once acknowledged, are marked published in
 * batches. A periodic sweep re-sends rows that a crash or a failed send left behind. Delivery is therefore
 * at least once with a stable event id; consumers deduplicate through the inbox.
 *
 * <p>Order per key (the deployment id): once a send of a key fails, the key is <em>held</em> — the hand-off leaves
 * that key's newer events in the table, and the sweep re-sends all of the key's unpublished rows in insertion order,
 * each only after the previous one was acknowledged; the key is released when none is left. Keys with unpublished
 * rows at start-up (a crash) are held the same way. So a re-send never lands after a newer event of its key. (An
 * event already handed to the producer before an earlier one's failure was reported can still precede the re-send;
 * the idempotent producer keeps order for what it accepted.)
 *
 * <p>An event the broker refuses for good — over its size limit ({@code RecordTooLargeException}) — is moved to
 * parked ({@code outbox_message.parked_at}), counted in {@code rollwatch.outbox.parked} and logged once at ERROR with its id and type
 * (never its payload), instead of being re-sent forever; the key's other events carry on.
 */
@ApplicationScoped
public class OutboxRelay {

    public static final String CHANNEL = "rollwatch-outbox";
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final byte[] CONTENT_TYPE = EventCodec.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

    private final MutinyEmitter<byte[]> emitter;
    private final OutboxRepository repository;
    private final OutboxConfig config;
    /** How long one sweep waits for the broker's acknowledgements before leaving the rest to the next sweep. */
    private static final long SWEEP_WAIT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final BlockingQueue<String> acknowledged = new LinkedBlockingQueue<>();
    private final BlockingQueue<Refused> refused = new LinkedBlockingQueue<>();
    /** Held keys: key → a generation bumped whenever the hand-off leaves one of its events to the sweep. */
    private final Map<String, Long> held = new ConcurrentHashMap<>();
    private final Counter sent;
    private final Counter parked;
    private final Counter sendFailures;
    private final Counter swept;
    private final Timer publishLatency;
    private volatile Thread marker;
    private volatile boolean running;
    private volatile boolean recovered;

    /** An event the broker refused for good, to be parked by the marker thread (not on a Kafka thread). */
    private record Refused(String id, String topic, String type, int bytes, String reason) {
    }

    public OutboxRelay(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
            MutinyEmitter<byte[]> emitter, OutboxRepository repository, OutboxConfig config, MeterRegistry registry) {
        this.emitter = emitter;
        this.repository = repository;
        this.config = config;
        this.sent = Counter.builder("rollwatch.outbox.published").description("outbox events acknowledged by Kafka")
                .register(registry);
        this.sendFailures = Counter.builder("rollwatch.outbox.publish.failures")
                .description("outbox sends Kafka did not acknowledge (re-sent by the sweep, or parked)").register(registry);
        this.swept = Counter.builder("rollwatch.outbox.swept").description("outbox events re-sent by the sweep")
                .register(registry);
        this.parked = Counter.builder("rollwatch.outbox.parked")
                .description("outbox events the broker refused for good (over its size limit), parked, not re-sent")
                .register(registry);
        this.publishLatency = Timer.builder("rollwatch.outbox.publish.latency")
                .description("commit to broker acknowledgement").publishPercentiles(0.5, 0.95, 0.99)
                .register(registry);
        Gauge.builder("rollwatch.outbox.pending.acks", acknowledged, BlockingQueue::size)
                .description("acknowledged outbox events not yet marked published").register(registry);
    }

    /**
     * Skips the relay's scheduled jobs until the application has started: before that the Kafka channel is not wired
     * yet, and creating this bean (its emitter) would fail with SRMSG00019 — an ERROR in the log on a slow start-up.
     */
    @Singleton
    public static class NotStarted implements Scheduled.SkipPredicate {

        private volatile boolean started;

        void started(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
            started = true;
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !started;
        }
    }

    void start(@Observes StartupEvent event) {
        running = true;
        holdKeysLeftUnpublished();
        marker = DaemonThreads.start("outbox-marker", this::markLoop);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        Thread t = marker;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Post-commit hand-off: runs on the committing thread right after a successful commit. */
    void onCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutboxAppended appended) {
        if (appended.key() != null && held.computeIfPresent(appended.key(), (k, generation) -> generation + 1) != null) {
            return; // an older event of this key waits for the sweep: this one follows it, in order
        }
        send(appended.id(), appended.topic(), appended.key(), appended.type(), appended.payload(), System.nanoTime());
    }

    /** Hands one event to Kafka; completes with whether the broker acknowledged it (never exceptionally). */
    private CompletableFuture<Boolean> send(String id, String topic, String key, String type, byte[] payload,
            long startedNanos) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CONTENT_TYPE);
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic).withKey(key).withHeaders(headers).build();
        Uni<Void> acked;
        try {
            acked = emitter.sendMessage(Message.of(payload).addMetadata(metadata));
        } catch (RuntimeException e) {
            // Buffer full or channel down: the sweep will pick the row up.
            failed(id, topic, key, type, payload.length, e);
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> outcome = new CompletableFuture<>();
        acked.subscribe().with(ignored -> {
            sent.increment();
            publishLatency.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
            acknowledged.add(id);
            outcome.complete(true);
        }, failure -> {
            failed(id, topic, key, type, payload.length, failure);
            outcome.complete(false);
        });
        return outcome;
    }

    /**
     * For the start-up warm-up: sends one record to {@link Topics#PRODUCER_WARMUP} through the same emitter, sink and
     * producer as every event, so that the first real event is not the first send (SmallRye's sink, the producer's
     * batch and sender, the broker's produce path and the acknowledgement callbacks have all run once). Nothing reads
     * that topic; it is not counted in the outbox's meters. Completes when the broker acknowledged it.
     */
    public Uni<Void> sendWarmup(String key, byte[] payload) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CONTENT_TYPE);
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(Topics.PRODUCER_WARMUP).withKey(key).withHeaders(headers).build();
        return emitter.sendMessage(Message.of(payload).addMetadata(metadata));
    }

    private void failed(String id, String topic, String key, String type, int bytes, Throwable failure) {
        sendFailures.increment();
        if (key != null) {
            held.merge(key, 1L, Long::sum); // newer events of this key wait until the sweep has re-sent this one
        }
        Throwable tooLarge = tooLarge(failure);
        if (tooLarge != null) {
            refused.add(new Refused(id, topic, type, bytes, tooLarge.getClass().getSimpleName()));
            return; // parked (and logged at ERROR) by the marker thread
        }
        LOG.warnf("outbox event %s to %s not acknowledged, the sweep will re-send it: %s", id, topic,
                failure.getMessage());
    }

    /** The broker will never take this record, however often it is re-sent. */
    static Throwable tooLarge(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException) {
                return t;
            }
        }
        return null;
    }

    private void markLoop() {
        List<String> batch = new ArrayList<>();
        while (running) {
            try {
                parkRefused();
                String first = acknowledged.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                acknowledged.drainTo(batch, config.markBatch() - 1);
                List<String> ids = List.copyOf(batch);
                QuarkusTransaction.requiringNew().run(() -> repository.markPublished(ids, Instant.now()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The rows stay unpublished and are re-sent by the sweep: a duplicate, never a loss.
                LOG.warnf("could not mark %d outbox rows published: %s", batch.size(), e.getMessage());
            } finally {
                batch.clear();
            }
        }
    }

    private void parkRefused() {
        Refused r;
        while ((r = refused.poll()) != null) {
            Refused row = r;
            try {
                boolean moved = QuarkusTransaction.requiringNew().call(() -> repository.park(row.id(),
                        row.reason() + ": " + row.bytes() + " bytes is over the broker's size limit", Instant.now()));
                if (moved) {
                    parked.increment();
                    LOG.errorf("outbox event %s (%s, %d bytes) to %s is over the broker's size limit (%s): parked"
                            + " (outbox_message.parked_at), it will not be re-sent", row.id(), row.type(), row.bytes(), row.topic(),
                            row.reason());
                }
            } catch (RuntimeException e) {
                // Stays unpublished: re-sent, refused and parked at a later sweep.
                LOG.warnf("could not park outbox event %s: %s", row.id(), e.getMessage());
            }
        }
    }

    /** A crash may have left rows unpublished: their keys are held until the sweep has re-sent them, in order. */
    private void holdKeysLeftUnpublished() {
        try {
            List<String> keys = QuarkusTransaction.requiringNew().call(repository::keysWithUnpublishedRows);
            keys.forEach(k -> held.putIfAbsent(k, 0L));
            recovered = true;
        } catch (RuntimeException e) {
            LOG.warnf("could not read the outbox's unpublished keys at start, will retry at the next sweep: %s",
                    e.getMessage());
        }
    }

    /**
     * The safety net: re-send the unpublished rows of held keys and of keys with a row older than the grace period,
     * each key's rows in insertion order, a row only after the previous one of its key was acknowledged.
     */
    @Scheduled(every = "${rollwatch.outbox.sweep-interval:2s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = NotStarted.class)
    void sweep() {
        if (!running) {
            return; // shutting down: the rows stay for the next start
        }
        if (!recovered) {
            holdKeysLeftUnpublished();
        }
        if (!sinkReady()) {
            return; // the Kafka sink is not connected yet (start-up) or is saturated: try at the next sweep
        }
        Instant cutoff = Instant.now().minus(config.sweepGrace());
        List<String> heldKeys = List.copyOf(held.keySet());
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                List<OutboxMessage> rows = new ArrayList<>(repository.lockForSweep(cutoff, heldKeys,
                        config.sweepBatch()));
                rows.addAll(repository.lockUnkeyedOlderThan(cutoff, config.sweepBatch()));
                resendInOrder(rows);
            });
        } catch (RuntimeException e) {
            LOG.warnf("outbox sweep failed, will retry: %s", e.getMessage());
        }
        for (String key : heldKeys) {
            releaseIfDone(key);
        }
    }

    /** Sends in waves: the first row of every key, then (once acknowledged) the second, and so on. */
    private void resendInOrder(List<OutboxMessage> rows) {
        Map<String, Deque<OutboxMessage>> byKey = new LinkedHashMap<>();
        for (OutboxMessage row : rows) {
            String group = row.messageKey != null ? row.messageKey : "\0" + row.id; // no key: no order to keep
            if (row.messageKey != null) {
                held.putIfAbsent(row.messageKey, 0L); // the hand-off must not overtake what is re-sent now
            }
            byKey.computeIfAbsent(group, g -> new ArrayDeque<>()).add(row);
        }
        long deadline = System.nanoTime() + SWEEP_WAIT_NANOS;
        while (!byKey.isEmpty()) {
            Map<OutboxMessage, CompletableFuture<Boolean>> wave = new LinkedHashMap<>();
            for (Deque<OutboxMessage> queue : byKey.values()) {
                OutboxMessage row = queue.poll();
                row.attempts++;
                swept.increment();
                wave.put(row, send(row.id, row.topic, row.messageKey, row.eventType, row.payload, System.nanoTime()));
            }
            Iterator<Map.Entry<String, Deque<OutboxMessage>>> keys = byKey.entrySet().iterator();
            for (Map.Entry<OutboxMessage, CompletableFuture<Boolean>> sentRow : wave.entrySet()) {
                Map.Entry<String, Deque<OutboxMessage>> key = keys.next();
                if (acknowledged(sentRow.getValue(), deadline)) {
                    sentRow.getKey().publishedAt = Instant.now();
                    if (key.getValue().isEmpty()) {
                        keys.remove();
                    }
                } else {
                    keys.remove(); // not acknowledged: this key's later rows wait for the next sweep
                }
            }
        }
    }

    private static boolean acknowledged(CompletableFuture<Boolean> outcome, long deadline) {
        try {
            return outcome.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /**
     * Releases a held key once it has no unpublished row, unless the hand-off left another event of it to the sweep
     * meanwhile (its generation moved): that event is then re-sent, in order, by the next sweep.
     */
    private void releaseIfDone(String key) {
        Long generation = held.get(key);
        if (generation == null) {
            return;
        }
        try {
            boolean pending = QuarkusTransaction.requiringNew().call(() -> repository.hasUnpublished(key));
            if (!pending) {
                held.remove(key, generation);
            }
        } catch (RuntimeException e) {
            // stays held; checked again at the next sweep
        }
    }

    private boolean sinkReady() {
        try {
            return emitter.hasRequests();
        } catch (RuntimeException notConnectedYet) {
            return false; // SmallRye refuses until the channel is wired, early in start-up
        }
    }

    @Scheduled(every = "1h", delayed = "1m", skipExecutionIf = NotStarted.class)
    void cleanUp() {
        if (!running) {
            return;
        }
        Instant cutoff = Instant.now().minus(config.retention());
        QuarkusTransaction.requiringNew().run(() -> repository.deletePublishedBefore(cutoff));
    }
}
