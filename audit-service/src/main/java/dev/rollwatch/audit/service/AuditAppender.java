package dev.rollwatch.audit.service;

import dev.rollwatch.audit.domain.ChainHash;
import dev.rollwatch.audit.domain.StoredEntry;
import dev.rollwatch.audit.repository.AuditLogRepository;
import dev.rollwatch.events.EventHeader;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
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

    private final AuditLogRepository log;
    private final MeterRegistry meters;

    public AuditAppender(AuditLogRepository log, MeterRegistry meters) {
        this.log = log;
        this.meters = meters;
    }

    /**
     * Append what is new in {@code received}, in order, in one transaction; returns the entries appended. The head is
     * locked once, the batch's duplicates are found by one query (under the lock, so no other append can add one
     * meanwhile), the hashes are chained in memory over the new entries only (a duplicate takes no position: no gap),
     * and the rows go to the database as one JDBC batch with the head's update. One log line per batch (per entry at
     * DEBUG).
     */
    @Transactional
    public List<StoredEntry> append(List<Received> received) {
        AuditLogRepository.Head head = log.lockHead();
        long position = head.position();
        byte[] prevHash = head.hash();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<StoredEntry> appended = new ArrayList<>();
        Set<String> seen = log.existing(received.stream().map(Received::topic).toList(),
                received.stream().map(r -> r.header().source()).toList(),
                received.stream().map(r -> r.header().id()).toList());
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
