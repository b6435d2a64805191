package dev.rollwatch.audit.service;

import dev.rollwatch.audit.config.AuditConfig;
import dev.rollwatch.audit.domain.Replay;
import dev.rollwatch.audit.domain.ReplayStatus;
import dev.rollwatch.audit.domain.StoredEntry;
import dev.rollwatch.audit.messaging.ReplayPublisher;
import dev.rollwatch.audit.repository.AuditLogRepository;
import dev.rollwatch.audit.repository.EntryFilter;
import dev.rollwatch.audit.repository.ReplayRepository;
import dev.rollwatch.platform.concurrent.DaemonThreads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Publishes replays, one at a time on a worker thread, in position order: the entries come through a database
 * cursor (constant memory) and go to the producer; every {@code fetch-size} records the producer is flushed, each
 * send checked, and the progress ({@code published}, {@code lastPosition}) stored. A replay a restart interrupted
 * resumes after the last acknowledged position (at least once: a record sent but not yet acknowledged may be sent
 * twice, with the same CloudEvents id).
 */
@ApplicationScoped
public class ReplayRunner {

    private static final Logger LOG = Logger.getLogger(ReplayRunner.class);

    private final AuditLogRepository log;
    private final ReplayRepository replays;
    private final ReplayPublisher publisher;
    private final AuditConfig config;
    private final Counter replayed;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(DaemonThreads.named("audit-replay"));
    private volatile boolean stopping;

    public ReplayRunner(AuditLogRepository log, ReplayRepository replays, ReplayPublisher publisher,
            AuditConfig config, MeterRegistry meters) {
        this.log = log;
        this.replays = replays;
        this.publisher = publisher;
        this.config = config;
        this.replayed = meters.counter("rollwatch.audit.replayed");
    }

    void resume(@Observes StartupEvent event) {
        for (UUID id : replays.unfinished()) {
            LOG.infof("audit replay resumed after a restart: replayId=%s", id);
            submit(id);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        worker.shutdownNow(); // an interrupted replay stays RUNNING and resumes on the next start
    }

    public void submit(UUID id) {
        worker.submit(() -> run(id));
    }

    void run(UUID id) {
        Replay replay = replays.find(id).orElse(null);
        if (replay == null || replay.status.finished()) {
            return;
        }
        replays.markRunning(id, Instant.now());
        Progress progress = new Progress(replay);
        try {
            publisher.ensureTopic(replay.destination);
            EntryFilter rest = new EntryFilter(replay.deploymentId, replay.eventType, replay.source, replay.fromTime,
                    replay.toTime, replay.lastPosition);
            log.scan(rest, replay.toPosition, config.fetchSize(), progress::send);
            progress.flush();
            replays.finish(id, ReplayStatus.COMPLETED, null, Instant.now());
            LOG.infof("audit replay completed: replayId=%s destination=%s published=%d lastPosition=%d", id,
                    replay.destination, progress.published, progress.lastPosition);
        } catch (RuntimeException e) {
            if (stopping || Thread.currentThread().isInterrupted()) {
                LOG.infof("audit replay interrupted by shutdown: replayId=%s published=%d, resumes on restart", id,
                        progress.published);
                return;
            }
            String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            replays.finish(id, ReplayStatus.FAILED, reason, Instant.now());
            LOG.warnf(e, "audit replay failed: replayId=%s destination=%s published=%d lastPosition=%d: %s", id,
                    replay.destination, progress.published, progress.lastPosition, reason);
        }
    }

    /** The records handed to the producer since the last flush, and what is known to be acknowledged. */
    private final class Progress {
        private final Replay replay;
        private final List<Future<RecordMetadata>> pending = new ArrayList<>();
        private long published;
        private long lastPosition;
        private long sentPosition;

        Progress(Replay replay) {
            this.replay = replay;
            this.published = replay.published;
            this.lastPosition = replay.lastPosition;
            this.sentPosition = replay.lastPosition;
        }

        void send(StoredEntry entry) {
            pending.add(publisher.send(replay.destination, entry.subject(), entry.payload(), replay.id,
                    entry.position()));
            sentPosition = entry.position();
            if (pending.size() >= config.fetchSize()) {
                flush();
            }
        }

        void flush() {
            if (pending.isEmpty()) {
                return;
            }
            publisher.flush();
            for (Future<RecordMetadata> sent : pending) {
                try {
                    sent.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("the broker did not acknowledge a replayed record: "
                            + e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the broker", e);
                }
            }
            published += pending.size();
            lastPosition = sentPosition;
            replayed.increment(pending.size());
            pending.clear();
            replays.progress(replay.id, published, lastPosition);
        }
    }
}
