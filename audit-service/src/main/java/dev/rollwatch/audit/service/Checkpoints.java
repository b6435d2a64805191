package dev.rollwatch.audit.service;

import dev.rollwatch.audit.config.AuditConfig;
import dev.rollwatch.audit.domain.ChainHash;
import dev.rollwatch.audit.domain.Checkpoint;
import dev.rollwatch.audit.repository.AuditLogRepository;
import dev.rollwatch.events.AuditCheckpointed;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventType;
import dev.rollwatch.platform.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Signs a checkpoint of the head every {@code interval}, or sooner after {@code every-entries} appends, whenever the
 * log grew. Done under the head lock so the signed hash is exactly the head at that position. Each checkpoint is
 * stored and published as {@code AuditCheckpointed} on {@code audit-checkpoints} (through the outbox, in the same
 * transaction), so auditors can keep copies outside the database. The service logs its own checkpoint events like
 * any other; those alone do not make the log "grown", or it would sign one every interval forever.
 */
@ApplicationScoped
public class Checkpoints {

    public static final String SOURCE = Envelope.source("audit-service");

    private static final Logger LOG = Logger.getLogger(Checkpoints.class);

    private final AuditLogRepository log;
    private final CheckpointSigner signer;
    private final AuditConfig config;
    private final MeterRegistry meters;
    private final Outbox outbox;
    private volatile Instant lastSigned = Instant.now();

    public Checkpoints(AuditLogRepository log, CheckpointSigner signer, AuditConfig config, MeterRegistry meters,
            Outbox outbox) {
        this.log = log;
        this.signer = signer;
        this.config = config;
        this.meters = meters;
        this.outbox = outbox;
    }

    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        long last = log.lastCheckpoint().map(Checkpoint::position).orElse(0L);
        long grown = log.countAfterExcept(last, SOURCE, EventType.AUDIT_CHECKPOINTED.type());
        boolean due = Instant.now().isAfter(lastSigned.plus(config.checkpoint().interval()));
        if (grown > 0 && (due || grown >= config.checkpoint().everyEntries())) {
            checkpointNow();
        }
    }

    /** Sign the current head now (if the log grew since the last checkpoint); returns the checkpoint written. */
    @Transactional
    public Optional<Checkpoint> checkpointNow() {
        AuditLogRepository.Head head = log.lockHead();
        lastSigned = Instant.now();
        if (head.position() == 0 || log.lastCheckpoint().map(c -> c.position() >= head.position()).orElse(false)) {
            return Optional.empty();
        }
        Checkpoint checkpoint = signer.sign(head.position(), head.hash());
        log.insertCheckpoint(checkpoint);
        Envelope<AuditCheckpointed> event = Envelope.of(SOURCE, AuditCheckpointed.KEY, new AuditCheckpointed(
                checkpoint.position(), ChainHash.hex(checkpoint.headHash()), checkpoint.keyId(), "Ed25519",
                Base64.getEncoder().encodeToString(checkpoint.signature()), checkpoint.signedAt()));
        outbox.publish(event);
        meters.counter("rollwatch.audit.checkpoints").increment();
        LOG.infof("audit checkpoint signed: position=%d headHash=%s keyId=%s eventId=%s", checkpoint.position(),
                ChainHash.hex(checkpoint.headHash()), checkpoint.keyId(), event.id());
        return Optional.of(checkpoint);
    }
}
