package dev.rollwatch.audit.service;

import dev.rollwatch.audit.domain.ChainHash;
import dev.rollwatch.audit.domain.SqlFailures;
import dev.rollwatch.audit.domain.StoredEntry;
import dev.rollwatch.audit.repository.AuditLogRepository;
import dev.rollwatch.events.EventHeader;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import org.postgresql.util.PSQLException;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Appends events to the log, each once. The head row is locked first, so positions are gap-free and every entry
 * chains to the one before it even when several channels append at once; a (topic, source, id) already in the log is a
 * redelivery or an outbox re-send and appends nothing.
 * The key is (topic, source, id): an id forged on another topic cannot pre-empt the real event.
 */
@ApplicationScoped
public class AuditAppender {

    private static final Logger LOG = Logger.getLogger(AuditAppender.class);

    /** An event as read from Kafka: its header (already validated) and the exact record value. */
    public record Received(EventHeader header, String topic, int partition, long offset, byte[] bytes) {
    }

    /** SQLSTATE unique_violation, and the constraint that keeps each (topic, source, id) once (V6). */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String ONCE_CONSTRAINT = "audit_entry_once";

    private final AuditLogRepository log;
    private final MeterRegistry meters;
    /** A poll held duplicates: check the next one before appending it (see {@link #appendPolled}). */
    private volatile boolean checkFirst;

    public AuditAppender(AuditLogRepository log, MeterRegistry meters) {
        this.log = log;
        this.meters = meters;
    }

    /**
     * Append what is new in {@code received}, in order, in one transaction (the caller's, if it has one); returns the
     * entries appended. The head is locked once, the batch's duplicates are found by one query (under the lock, so
     * no other append can add one meanwhile), the hashes are chained in memory over the new entries only (a duplicate
     * takes no position: no gap), and the rows go to the database as one JDBC batch with the head's update. One log
     * line per batch (per entry at DEBUG).
     */
    @Transactional
    public List<StoredEntry> append(List<Received> received) {
        return appendLocked(received, true);
    }

    /**
     * The ingest's append of one poll, in a transaction of its own. A poll almost always holds only new events, so
     * it is first appended without asking the log which of them it already has: the unique key (topic, source, id)
     * refuses a duplicate, which rolls the whole transaction back (no position handed out, nothing written), and
     * the poll is then appended the checked way ({@link #append}). A redelivery comes in runs (a rebalance, an offset
     * reset), so after a poll that held duplicates the next ones are checked first, until one holds none.
     */
    public List<StoredEntry> appendPolled(List<Received> received) {
        if (!checkFirst) {
            try {
                return QuarkusTransaction.requiringNew().call(() -> appendLocked(received, false));
            } catch (RuntimeException e) {
                if (!isAlreadyLogged(e)) {
                    throw e;
                }
                meters.counter("rollwatch.audit.appends.rechecked").increment();
                LOG.infof("audit append of %d records met an event already in the log: appending them checked",
                        received.size());
            }
        }
        List<StoredEntry> appended = QuarkusTransaction.requiringNew().call(() -> appendLocked(received, true));
        checkFirst = appended.size() < received.size();
        return appended;
    }

    /** Whether {@code failure} is the unique key of (topic, source, id) refusing an event the log already has. */
    static boolean isAlreadyLogged(Throwable failure) {
        return SqlFailures.any(failure, sql -> sql instanceof PSQLException pg && pg.getServerErrorMessage() != null
                && UNIQUE_VIOLATION.equals(pg.getSQLState())
                && ONCE_CONSTRAINT.equals(pg.getServerErrorMessage().getConstraint()));
    }

    /** In the caller's transaction; {@code checked}: ask the log for duplicates first (else the unique key refuses one). */
    private List<StoredEntry> appendLocked(List<Received> received, boolean checked) {
        AuditLogRepository.Head head = log.lockHead();
        long position = head.position();
        byte[] prevHash = head.hash();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<StoredEntry> appended = new ArrayList<>();
        Set<String> seen = checked ? log.existing(received.stream().map(Received::topic).toList(),
                received.stream().map(r -> r.header().source()).toList(),
                received.stream().map(r -> r.header().id()).toList()) : new HashSet<>();
        for (Received r : received) {
            EventHeader h = r.header();
            if (!seen.add(r.topic() + '\n' + h.source() + '\n' + h.id())) {
                meters.counter("rollwatch.audit.duplicates", "topic", r.topic()).increment();
                LOG.infof("audit duplicate ignored: deploymentId=%s eventId=%s source=%s type=%s record=%s-%d@%d",
                        h.subject(), h.id(), h.source(), h.type(), r.topic(), r.partition(), r.offset());
                continue;
            }
            position++;
            byte[] entryHash = ChainHash.entryHashV2(prevHash, position, r.topic(), r.partition(), r.offset(), now,
                    r.bytes());
            appended.add(new StoredEntry(position, h.source(), h.id(), h.type(), h.subject(), h.time(),
                    h.causationId(), h.correlationId(), r.topic(), r.partition(), r.offset(), r.bytes(), prevHash,
                    entryHash, now, ChainHash.V2));
            prevHash = entryHash;
        }
        log.append(appended);
        count(appended);
        if (!appended.isEmpty()) {
            StoredEntry first = appended.get(0);
            StoredEntry last = appended.get(appended.size() - 1);
            LOG.infof("audit appended %d entries: positions %d..%d, head hash=%s (first %s-%d@%d, last %s-%d@%d)",
                    appended.size(), first.position(), last.position(), ChainHash.hex(last.entryHash()),
                    first.topic(), first.partition(), first.offset(), last.topic(), last.partition(), last.offset());
        }
        if (LOG.isDebugEnabled()) {
            for (StoredEntry e : appended) {
                LOG.debugf("audit appended: deploymentId=%s eventId=%s type=%s position=%d hash=%s", e.subject(),
                        e.eventId(), e.type(), e.position(), ChainHash.hex(e.entryHash()));
            }
        }
        return appended;
    }

    /** {@code rollwatch.audit.appended{topic}}, one increment per topic of the batch rather than per entry. */
    private void count(List<StoredEntry> appended) {
        Map<String, Integer> perTopic = new HashMap<>();
        for (StoredEntry e : appended) {
            perTopic.merge(e.topic(), 1, Integer::sum);
        }
        perTopic.forEach((topic, n) -> meters.counter("rollwatch.audit.appended", "topic", topic).increment(n));
    }
}
