package dev.rollwatch.audit.service;

import dev.rollwatch.audit.config.AuditConfig;
import dev.rollwatch.audit.domain.ChainCheck;
import dev.rollwatch.audit.domain.ChainHash;
import dev.rollwatch.audit.domain.CheckpointCheck;
import dev.rollwatch.audit.domain.StoredEntry;
import dev.rollwatch.audit.repository.AuditLogRepository;
import dev.rollwatch.platform.rest.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Arrays;
import java.util.Optional;

/**
 * Recomputes the hash chain over the whole log or a range of positions, holds it against the signed checkpoints,
 * and names the first position where either breaks. Reads one consistent snapshot through cursors, so it runs in
 * constant memory beside live ingest.
 */
@ApplicationScoped
public class ChainVerifier {

    private static final Logger LOG = Logger.getLogger(ChainVerifier.class);

    /** The outcome: valid, or the first bad position and why. {@code headHash} is the last verified entry's hash. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Report(boolean valid, long from, long to, long entries, long checkpoints, String headHash,
            Long firstBadPosition, String reason) {
    }

    private final AuditLogRepository log;
    private final AuditConfig config;
    private final MeterRegistry meters;
    private final TrustedKeys keys;

    public ChainVerifier(AuditLogRepository log, AuditConfig config, MeterRegistry meters, TrustedKeys keys) {
        this.log = log;
        this.config = config;
        this.meters = meters;
        this.keys = keys;
    }

    public Report verify(Long fromPosition, Long toPosition) {
        long from = fromPosition == null ? 1 : fromPosition;
        if (from < 1) {
            throw ProblemException.badRequest("invalid-range", "from must be a position of 1 or more, was " + from);
        }
        if (toPosition != null && toPosition < from) {
            throw ProblemException.badRequest("invalid-range", "to (" + toPosition + ") is before from (" + from + ")");
        }
        long headNow = log.head().position();
        if (toPosition != null && toPosition > headNow) {
            throw ProblemException.badRequest("range-beyond-head",
                    "to (" + toPosition + ") is beyond the last position of the log (" + headNow + ")")
                    .with("head", headNow);
        }
        Report report = log.inSnapshot(config.fetchSize(), snapshot -> {
            Walk walk = new Walk(from, toPosition, snapshot, new CheckpointCheck(keys::verify));
            snapshot.entries(from == 1 ? 1 : from - 1, walk::step);
            return walk.report();
        });
        meters.counter("rollwatch.audit.verifications", "valid", Boolean.toString(report.valid())).increment();
        if (report.valid()) {
            LOG.infof("audit verify: valid from=%d to=%d entries=%d headHash=%s", from, report.to(),
                    report.entries(), report.headHash());
        } else {
            LOG.warnf("audit verify: BROKEN from=%d to=%d firstBadPosition=%d reason=%s", from, report.to(),
                    report.firstBadPosition(), report.reason());
        }
        return report;
    }

    /**
     * Feeds the snapshot into a {@link ChainCheck}, anchoring a range on the entry just before it, and holds the
     * entries against the signed checkpoints ({@link CheckpointCheck}): the stored checkpoints are read forward
     * beside the entries, the one a logged checkpoint event names is looked up by position, and a verification
     * that reaches the head asks for the first checkpoint after it. Nothing is collected: constant memory.
     */
    private static final class Walk {
        private final long from;
        private final Long to;
        private final AuditLogRepository.Snapshot snapshot;
        private final AuditLogRepository.CheckpointCursor stored;
        private final CheckpointCheck checkpoints;
        private ChainCheck check;
        private ChainCheck.Failure anchorFailure;
        private ChainCheck.Failure checkpointFailure;
        private ChainCheck.Failure beyondHead;

        Walk(long from, Long to, AuditLogRepository.Snapshot snapshot, CheckpointCheck checkpoints) {
            this.from = from;
            this.to = to;
            this.snapshot = snapshot;
            this.stored = snapshot.checkpoints(from);
            this.checkpoints = checkpoints;
            if (from == 1) {
                check = new ChainCheck(1, ChainHash.genesis());
            }
        }

        boolean step(StoredEntry e) {
            if (check == null) {
                if (e.position() != from - 1) {
                    anchorFailure = new ChainCheck.Failure(from - 1, "entry missing: the range's anchor entry "
                            + (from - 1) + " is absent");
                    return false;
                }
                check = new ChainCheck(from, e.entryHash());
                return true;
            }
            if (to != null && e.position() > to) {
                return false;
            }
            if (to == null && e.position() > snapshot.head().position()) {
                beyondHead = new ChainCheck.Failure(snapshot.head().position() + 1,
                        "entry beyond the head: written outside the service");
                return false;
            }
            if (!check.accept(e)) {
                return false;
            }
            // A chain rewritten with recomputed hashes is consistent with itself, but not with what was signed.
            Optional<ChainCheck.Failure> failure = stored.at(e.position())
                    .flatMap(cp -> checkpoints.stored(cp, e.entryHash()));
            if (failure.isEmpty()) {
                // A checkpoint event in the log names a checkpoint row that must still be stored.
                failure = CheckpointCheck.carriedBy(e.payload()).flatMap(logged -> checkpoints.logged(e.position(),
                        logged, snapshot.checkpointAt(logged.position())));
            }
            failure.ifPresent(f -> checkpointFailure = f);
            return failure.isEmpty();
        }

        Report report() {
            AuditLogRepository.Head head = snapshot.head();
            long toPosition = to != null ? to : head.position();
            if (anchorFailure == null && check == null) {
                anchorFailure = new ChainCheck.Failure(from - 1, "entry missing: the range's anchor entry "
                        + (from - 1) + " is absent");
            }
            if (anchorFailure != null) {
                return new Report(false, from, toPosition, 0, 0, null, anchorFailure.position(),
                        anchorFailure.reason());
            }
            check.finish(toPosition);
            ChainCheck.Failure failure = checkpointFailure != null ? checkpointFailure
                    : check.failure() != null ? check.failure() : beyondHead;
            long last = from + check.checked() - 1;
            if (failure == null && to == null) { // the whole log (from its start or from a position): the head row
                if (last > head.position()) {
                    failure = new ChainCheck.Failure(head.position() + 1,
                            "entry beyond the head: written outside the service");
                } else if (!Arrays.equals(check.lastHash(), head.hash())) {
                    failure = new ChainCheck.Failure(head.position(), "head hash does not match the last entry");
                }
            }
            if (failure == null && toPosition >= head.position()) {
                // The verified stretch ends at the head: the service never signed anything after it.
                failure = snapshot.firstCheckpointAfter(toPosition)
                        .flatMap(cp -> checkpoints.beyondEnd(toPosition, cp)).orElse(null);
            }
            String lastHash = check.checked() == 0 && from > 1 ? null : ChainHash.hex(check.lastHash());
            if (failure != null) {
                return new Report(false, from, toPosition, check.checked(), checkpoints.matched(), null,
                        failure.position(), failure.reason());
            }
            return new Report(true, from, toPosition, check.checked(), checkpoints.matched(), lastHash, null,
                    null);
        }
    }
}
