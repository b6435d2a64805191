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
import java.util.List;
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

    /** Append what is new in {@code received}, in order, in one transaction; returns the entries appended. */
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
        for (StoredEntry e : appended) {
            meters.counter("rollwatch.audit.appended", "topic", e.topic()).increment();
            LOG.infof("audit appended: deploymentId=%s eventId=%s type=%s position=%d hash=%s", e.subject(),
                    e.eventId(), e.type(), e.position(), ChainHash.hex(e.entryHash()));
        }
        return appended;
    }
}
