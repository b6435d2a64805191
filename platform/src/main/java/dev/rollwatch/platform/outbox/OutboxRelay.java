package dev.rollwatch.platform.outbox;

import dev.rollwatch.events.EventCodec;
import io.micrometer.core.instrument.Counter;
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
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Publishes outbox rows. The normal path is a post-commit hand-off: the moment a business transaction commits,
 * its events go to Kafka (acks=all, idempotent producer) and, once acknowledged, are marked published in
 * batches. A periodic sweep re-sends rows that a crash or a failed send left behind. Delivery is therefore
 * at least once with a stable event id; consumers deduplicate through the inbox.
 */
@ApplicationScoped
public class OutboxRelay {

    public static final String CHANNEL = "rollwatch-outbox";
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final byte[] CONTENT_TYPE = EventCodec.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

    private final MutinyEmitter<byte[]> emitter;
    private final OutboxRepository repository;
    private final OutboxConfig config;
    private final BlockingQueue<String> acknowledged = new LinkedBlockingQueue<>();
    private final Counter sent;
    private final Counter sendFailures;
    private final Counter swept;
    private final Timer publishLatency;
    private volatile Thread marker;
    private volatile boolean running;

    public OutboxRelay(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
            MutinyEmitter<byte[]> emitter, OutboxRepository repository, OutboxConfig config, MeterRegistry registry) {
        this.emitter = emitter;
        this.repository = repository;
        this.config = config;
        this.sent = registry.counter("rollwatch.outbox.published");
        this.sendFailures = registry.counter("rollwatch.outbox.publish.failures");
        this.swept = registry.counter("rollwatch.outbox.swept");
        this.publishLatency = Timer.builder("rollwatch.outbox.publish.latency")
                .description("commit to broker acknowledgement").publishPercentiles(0.5, 0.95, 0.99)
                .register(registry);
        registry.gauge("rollwatch.outbox.pending.acks", acknowledged, BlockingQueue::size);
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
        marker = new Thread(this::markLoop, "outbox-marker");
        marker.setDaemon(true);
        marker.start();
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
        send(appended.id(), appended.topic(), appended.key(), appended.payload(), System.nanoTime());
    }

    private void send(String id, String topic, String key, byte[] payload, long startedNanos) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CONTENT_TYPE);
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic).withKey(key).withHeaders(headers).build();
        Uni<Void> acked;
        try {
            acked = emitter.sendMessage(Message.of(payload).addMetadata(metadata));
        } catch (RuntimeException e) {
            // Buffer full or channel down: the sweep will pick the row up.
            sendFailures.increment();
            LOG.warnf("outbox event %s to %s not handed to Kafka: %s", id, topic, e.getMessage());
            return;
        }
        acked.subscribe().with(ignored -> {
            sent.increment();
            publishLatency.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
            acknowledged.add(id);
        }, failure -> {
            sendFailures.increment();
            LOG.warnf("outbox event %s to %s not acknowledged, the sweep will re-send it: %s", id, topic,
                    failure.getMessage());
        });
    }

    private void markLoop() {
        List<String> batch = new ArrayList<>();
        while (running) {
            try {
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

    /** The safety net: re-send rows older than the grace period that are still unpublished. */
    @Scheduled(every = "${rollwatch.outbox.sweep-interval:2s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = NotStarted.class)
    void sweep() {
        if (!running) {
            return; // shutting down: the rows stay for the next start
        }
        if (!sinkReady()) {
            return; // the Kafka sink is not connected yet (start-up) or is saturated: try at the next sweep
        }
        Instant cutoff = Instant.now().minus(config.sweepGrace());
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                for (OutboxMessage row : repository.lockUnpublishedOlderThan(cutoff, config.sweepBatch())) {
                    row.attempts++;
                    swept.increment();
                    send(row.id, row.topic, row.messageKey, row.payload, System.nanoTime());
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("outbox sweep failed, will retry: %s", e.getMessage());
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
