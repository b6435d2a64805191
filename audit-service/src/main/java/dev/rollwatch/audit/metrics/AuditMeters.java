package dev.rollwatch.audit.metrics;

import dev.rollwatch.audit.domain.Checkpoint;
import dev.rollwatch.audit.repository.AuditLogRepository;
import dev.rollwatch.audit.service.ChainVerifier;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * The audit chain seen from Prometheus (docs/observability.md): the head position ({@code
 * rollwatch.audit.chain.head.position}), the last signed checkpoint's position and signing time ({@code
 * rollwatch.audit.checkpoint.last.position}, {@code rollwatch.audit.checkpoint.last.timestamp}, seconds since the
 * epoch), refreshed every {@code rollwatch.metrics.refresh}; and a self-check: every {@code
 * rollwatch.metrics.audit-verify-every} the entries appended since the last check (linked to the last one checked) are
 * verified like {@code GET /api/v1/audit/verify} does, so {@code rollwatch.audit.verifications{valid="false"}} — and
 * the {@code RollwatchAuditVerifyFailed} alert — do not wait for an auditor to ask. Both {@code valid} series are
 * registered at 0 so that {@code increase()} sees the first failure.
 */
@ApplicationScoped
public class AuditMeters {

    static final String HEAD = "rollwatch.audit.chain.head.position";
    static final String CHECKPOINT_POSITION = "rollwatch.audit.checkpoint.last.position";
    static final String CHECKPOINT_TIME = "rollwatch.audit.checkpoint.last.timestamp";
    static final String VERIFICATIONS = "rollwatch.audit.verifications";
    private static final Logger LOG = Logger.getLogger(AuditMeters.class);

    private final AuditLogRepository log;
    private final ChainVerifier verifier;
    private volatile double head;
    private volatile double checkpointPosition;
    private volatile double checkpointEpochSeconds;
    private volatile long verifiedUpTo;

    public AuditMeters(AuditLogRepository log, ChainVerifier verifier, MeterRegistry registry) {
        this.log = log;
        this.verifier = verifier;
        Gauge.builder(HEAD, this, m -> m.head).description("position of the last entry of the audit log")
                .register(registry);
        Gauge.builder(CHECKPOINT_POSITION, this, m -> m.checkpointPosition)
                .description("position of the last signed checkpoint (0: none yet)").register(registry);
        Gauge.builder(CHECKPOINT_TIME, this, m -> m.checkpointEpochSeconds).baseUnit("seconds")
                .description("when the last checkpoint was signed, seconds since the epoch (0: none yet)")
                .register(registry);
        registry.counter(VERIFICATIONS, "valid", "true");
        registry.counter(VERIFICATIONS, "valid", "false");
    }

    @Scheduled(every = "${rollwatch.metrics.refresh:10s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            record(log.head().position(), log.lastCheckpoint());
        } catch (RuntimeException e) {
            // The last values stay; the service's own health check reports the database.
            LOG.debugf("audit meters not refreshed: %s", e.getMessage());
        }
    }

    void record(long headPosition, Optional<Checkpoint> last) {
        head = headPosition;
        checkpointPosition = last.map(Checkpoint::position).orElse(0L);
        checkpointEpochSeconds = last.map(c -> c.signedAt().toEpochMilli() / 1000.0).orElse(0.0);
    }

    /** Verifies what was appended since the last run (the first run: the whole log); counted by ChainVerifier. */
    @Scheduled(every = "${rollwatch.metrics.audit-verify-every:5m}",
            delayed = "${rollwatch.metrics.audit-verify-every:5m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void selfVerify() {
        try {
            long headNow = log.head().position();
            if (headNow <= verifiedUpTo) {
                return;
            }
            ChainVerifier.Report report = verifier.verify(Math.max(1, verifiedUpTo), headNow);
            if (report.valid()) {
                verifiedUpTo = headNow;
            } else {
                LOG.errorf("audit self-verify FAILED at position %s: %s (positions %d..%d; "
                        + "GET /api/v1/audit/verify names the first bad entry)", report.firstBadPosition(),
                        report.reason(), report.from(), report.to());
            }
        } catch (RuntimeException e) {
            LOG.warnf("audit self-verify not run: %s", e.getMessage());
        }
    }
}
