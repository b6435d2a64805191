package dev.rollwatch.audit.service;

import dev.rollwatch.audit.config.AuditConfig;
import dev.rollwatch.audit.domain.ChainCheck;
import dev.rollwatch.audit.domain.ChainHash;
import dev.rollwatch.audit.repository.AuditLogRepository;
import dev.rollwatch.platform.rest.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import dev.rollwatch.audit.domain.Checkpoint;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Recomputes the hash chain over the whole log or a range of positions and names the first position where it
 * breaks. Reads one consistent snapshot through a cursor, so it runs in constant memory beside live ingest.
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
    private final CheckpointSigner signer;

    public ChainVerifier(AuditLogRepository log, AuditConfig config, MeterRegistry meters, CheckpointSigner signer) {
        this.log = log;
        this.config = config;
        this.meters = meters;
        this.signer = signer;
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
        Map<Long, Checkpoint> checkpoints = new HashMap<>();
        for (Checkpoint c : log.checkpoints(from - 1, Integer.MAX_VALUE)) {
            checkpoints.put(c.position(), c);
        }
        Walk walk = new Walk(from, toPosition, checkpoints, signer);
        AuditLogRepository.Head head = log.scanSnapshot(from == 1 ? 1 : from - 1, config.fetchSize(), walk::step);
        long to = toPosition != null ? toPosition : head.position();
        Report report = walk.report(from, to, toPosition == null ? head : null);
        meters.counter("rollwatch.audit.verifications", "valid", Boolean.toString(report.valid())).increment();
        if (report.valid()) {
            LOG.infof("audit verify: valid from=%d to=%d entries=%d headHash=%s", from, to, report.entries(),
                    report.headHash());
        } else {
            LOG.warnf("audit verify: BROKEN from=%d to=%d firstBadPosition=%d reason=%s", from, to,
                    report.firstBadPosition(), report.reason());
        }
        return report;
    }

    /** Feeds the snapshot into a {@link ChainCheck}, anchoring a range on the entry just before it. */
    private static final class Walk {
        private final long from;
        private final Long to;
        private final Map<Long, Checkpoint> checkpoints;
        private final CheckpointSigner signer;
        private ChainCheck check;
        private ChainCheck.Failure anchorFailure;
        private ChainCheck.Failure checkpointFailure;
        private long checkpointsMatched;

        Walk(long from, Long to, Map<Long, Checkpoint> checkpoints, CheckpointSigner signer) {
            this.from = from;
            this.to = to;
            this.checkpoints = checkpoints;
            this.signer = signer;
            if (from == 1) {
                check = new ChainCheck(1, ChainHash.genesis());
            }
        }

        boolean step(dev.rollwatch.audit.domain.StoredEntry e) {
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
            if (!check.accept(e.position(), e.prevHash(), e.entryHash(), e.payload())) {
                return false;
            }
            return matchesCheckpoint(e);
        }

        /** A chain rewritten with recomputed hashes is consistent with itself, but not with what was signed. */
        private boolean matchesCheckpoint(dev.rollwatch.audit.domain.StoredEntry e) {
            Checkpoint cp = checkpoints.get(e.position());
            if (cp == null) {
                return true;
            }
            if (!signer.verify(cp)) {
                checkpointFailure = new ChainCheck.Failure(e.position(), "the checkpoint at this position has an "
                        + "invalid signature (key " + cp.keyId() + ")");
                return false;
            }
            if (!Arrays.equals(cp.headHash(), e.entryHash())) {
                checkpointFailure = new ChainCheck.Failure(e.position(),
                        "entry_hash differs from the signed checkpoint at this position");
                return false;
            }
            checkpointsMatched++;
            return true;
        }

        /** {@code head} is given for a whole-log verification: the head row must agree with the last entry. */
        Report report(long fromPosition, long toPosition, AuditLogRepository.Head head) {
            if (anchorFailure == null && check == null) {
                anchorFailure = new ChainCheck.Failure(from - 1, "entry missing: the range's anchor entry "
                        + (from - 1) + " is absent");
            }
            if (anchorFailure != null) {
                return new Report(false, fromPosition, toPosition, 0, 0, null, anchorFailure.position(),
                        anchorFailure.reason());
            }
            check.finish(toPosition);
            ChainCheck.Failure failure = checkpointFailure != null ? checkpointFailure : check.failure();
            long last = fromPosition + check.checked() - 1;
            if (failure == null && head != null) {
                if (last > head.position()) {
                    failure = new ChainCheck.Failure(head.position() + 1,
                            "entry beyond the head: written outside the service");
                } else if (!Arrays.equals(check.lastHash(), head.hash())) {
                    failure = new ChainCheck.Failure(head.position(), "head hash does not match the last entry");
                }
            }
            String lastHash = check.checked() == 0 && fromPosition > 1 ? null : ChainHash.hex(check.lastHash());
            if (failure != null) {
                return new Report(false, fromPosition, toPosition, check.checked(), checkpointsMatched, null,
                        failure.position(), failure.reason());
            }
            return new Report(true, fromPosition, toPosition, check.checked(), checkpointsMatched, lastHash, null,
                    null);
        }
    }
}
