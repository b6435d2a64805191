package dev.rollwatch.audit.service;

import dev.rollwatch.audit.config.AuditConfig;
import dev.rollwatch.audit.domain.ChainHash;
import dev.rollwatch.audit.domain.Checkpoint;
import dev.rollwatch.audit.repository.AuditLogRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;

/**
 * Signs a checkpoint of the head every {@code interval}, or sooner after {@code every-entries} appends, whenever the
 * log grew. Done under the head lock so the signed hash is exactly the head at that position.
 */
@ApplicationScoped
public class Checkpoints {

    private static final Logger LOG = Logger.getLogger(Checkpoints.class);

    private final AuditLogRepository log;
    private final CheckpointSigner signer;
    private final AuditConfig config;
    private final MeterRegistry meters;
    private volatile Instant lastSigned = Instant.now();

    public Checkpoints(AuditLogRepository log, CheckpointSigner signer, AuditConfig config, MeterRegistry meters) {
        this.log = log;
        this.signer = signer;
        this.config = config;
        this.meters = meters;
    }

    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        long last = log.lastCheckpoint().map(Checkpoint::position).orElse(0L);
        long head = log.head().position();
        boolean due = Instant.now().isAfter(lastSigned.plus(config.checkpoint().interval()));
        if (head > last && (due || head - last >= config.checkpoint().everyEntries())) {
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
        meters.counter("rollwatch.audit.checkpoints").increment();
        LOG.infof("audit checkpoint signed: position=%d headHash=%s keyId=%s", checkpoint.position(),
                ChainHash.hex(checkpoint.headHash()), checkpoint.keyId());
        return Optional.of(checkpoint);
    }
}
